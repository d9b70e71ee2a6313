/**
 * One row per deadline rule of shared/domain/requirements.md, owning everything about its rule:
 * what triggers it (`kind`, `contactKind`), how its n-th occurrence is dated from the date that
 * starts it (the trigger's date; the admission date for recurring rules), its cycle key, what
 * evidence meets it, what waives or supersedes it, and its display in the published CodeSystem.
 * `deadline.ts` turns the dates into the instants a workflow sleeps until; the episode reducers
 * ask the row rather than testing codes.
 */
import { type ContactKind, QUESTIONNAIRE_FOR_REQUIREMENT, type RequirementCode } from '../vocabulary.ts';
import { addBusinessDays } from '../calendar/business-days.ts';
import { addCalendarDays, addCalendarMonths, type LocalDate, lastDayOfMonthOf } from '../calendar/local-date.ts';
import type { AgencyPolicy } from './policy.ts';

/** Every requirement code that has a deadline rule (escalation is a consequence, not a rule). */
export type DeadlineCode = Exclude<RequirementCode, 'ESCALATION'>;

/**
 * What starts a rule's clock: admission, the recurring calendar (from admission), a hospital
 * admission (an occurrence per interval while the stay lasts), a hospital release, a contact,
 * program discharge.
 */
export type RuleKind = 'admission' | 'recurring' | 'hospital-stay' | 'hospital-release' | 'contact' | 'discharge';

/** What an occurrence's cycle key is made of: the trigger's id (its Encounter id, else its date), the occurrence number, the due date. */
export interface Occurrence {
  triggerId: string;
  n: number;
  dueDate: LocalDate;
}

/** What meets an occurrence. */
export interface RuleEvidence {
  /** A completed QuestionnaireResponse of this Questionnaire. */
  questionnaire?: string;
  /** A contact from the day the occurrence opens: of these kinds (any kind when absent), and by the due date when `byDueDate`. */
  contact?: { kinds?: readonly ContactKind[]; byDueDate?: boolean };
  /** Its completed Questionnaire is an assessment of the client, which waives the rules `waivedInAssessmentMonths` that month. */
  recordsAssessment?: boolean;
}

/** A hospital stay as the episode knows it, by its Encounter id. */
export interface StayDates {
  admittedOn?: LocalDate;
  releasedOn?: LocalDate;
}

/** A hospital admission or release just recorded, with every stay of the episode as it now stands. */
export interface StayChange {
  event: 'hospital-admission' | 'hospital-release';
  encounterId: string;
  stays: Readonly<Record<string, StayDates>>;
}

/** What closes a pending occurrence unmet when the episode's hospital stays change. */
export interface Supersession {
  /** Why `occurrence` no longer applies after `change` (ids and dates only), or undefined when it still does. */
  reason(occurrence: { cycle: string; focus: string }, change: StayChange): string | undefined;
  /** An occurrence whose Task is out and overdue is not superseded: its miss is real. */
  keepsOverdue?: boolean;
}

/** Policy settings that every rule uses, so rows do not list them. */
export const SETTINGS_OF_EVERY_RULE = ['timeZone', 'holidays', 'dueSoonBusinessDays'] as const satisfies readonly (keyof AgencyPolicy)[];

export interface DeadlineRule {
  id: DeadlineCode;
  /** Plain name of the document or duty (`Requirement.title`, in episode states and histories: never changed). */
  title: string;
  /** `Task.code.coding.display` and the display of the code in the published CodeSystem. */
  display: string;
  /** The code's definition in the published CodeSystem. */
  definition: string;
  /** The rule in words, as agency staff would state it. */
  due: string;
  /** Where the rule comes from in the source documents. */
  source: string;
  kind: RuleKind;
  /** Agency settings, beyond those of every rule, that this rule uses. */
  settings: readonly (keyof AgencyPolicy)[];
  /** Due date of occurrence `n` (1, 2, …; one-time rules have only n = 1) counted from `from`. */
  dueOn(from: LocalDate, n: number, policy: AgencyPolicy): LocalDate;
  /** The day the Task must exist; without it, the day of the trigger. */
  opensOn?(from: LocalDate, n: number, policy: AgencyPolicy): LocalDate;
  /** The key of an occurrence, stable per episode and code: with the code, it keys the Task identifier. */
  cycleOf(occurrence: Occurrence): string;
  evidence: RuleEvidence;
  /** Recurring rules only: an occurrence in a month in which an assessment is due or done is waived, not moved. */
  waivedInAssessmentMonths?: boolean;
  supersededBy?: Supersession;
  /** Contact rules only: the kind of contact whose note this is. */
  contactKind?: ContactKind;
}

/** The display and definition of ESCALATION in the published CodeSystem (escalation is no rule: an overdue requirement's consequence). */
export const ESCALATION_CONCEPT = {
  display: 'Overdue requirement escalation',
  definition:
    "An overdue documentation requirement escalated to the specialist's supervisor, a clinical social worker (job description 1); the Task is partOf the overdue requirement's Task.",
} as const;

const once = () => '1';
const byDueDate = ({ dueDate }: Occurrence) => dueDate;
const byTrigger = ({ triggerId }: Occurrence) => triggerId;
const documented = (code: DeadlineCode): RuleEvidence => ({ questionnaire: QUESTIONNAIRE_FOR_REQUIREMENT[code] });

/** The stay a readmission began: another stay admitted on or after the release of the stay `releasedFrom`. */
function readmissionAfter(releasedFrom: string, stays: StayChange['stays']): string | undefined {
  const releasedOn = stays[releasedFrom]?.releasedOn;
  return Object.entries(stays).find(
    ([encounterId, stay]) => encounterId !== releasedFrom && stay.admittedOn && releasedOn && stay.admittedOn >= releasedOn,
  )?.[0];
}

const annualAssessmentDue = (admission: LocalDate, year: number, policy: AgencyPolicy): LocalDate => {
  const anniversary = addCalendarMonths(admission, 12 * year);
  return policy.annualAssessmentDue === 'anniversary-date' ? anniversary : lastDayOfMonthOf(anniversary);
};

/** A recurring Task opens its lead time before the due date, but never before admission. */
const leadTimeBefore =
  (dueOn: DeadlineRule['dueOn']) =>
  (admission: LocalDate, n: number, policy: AgencyPolicy): LocalDate => {
    const opens = addCalendarDays(dueOn(admission, n, policy), -policy.recurringLeadDays);
    return opens > admission ? opens : admission;
  };

const quarterlyDue: DeadlineRule['dueOn'] = (admission, n) => addCalendarMonths(admission, 3 * n);

const quarterly = {
  kind: 'recurring',
  settings: ['recurringLeadDays'],
  dueOn: quarterlyDue,
  cycleOf: byDueDate,
  opensOn: leadTimeBefore(quarterlyDue),
  waivedInAssessmentMonths: true,
} as const satisfies Partial<DeadlineRule>;

const cipAnnualDue: DeadlineRule['dueOn'] = (admission, n, policy) =>
  lastDayOfMonthOf(annualAssessmentDue(admission, n, policy));

const nextBusinessDay: DeadlineRule['dueOn'] = (contact, _n, policy) => addBusinessDays(contact, 1, policy);

export const DEADLINE_RULES: Readonly<Record<DeadlineCode, DeadlineRule>> = {
  'CIP-INITIAL': {
    id: 'CIP-INITIAL',
    title: 'Crisis Intervention Plan',
    display: 'Crisis Intervention Plan',
    definition:
      'Rule CIP-INITIAL: a Crisis Intervention Plan is due 14 calendar days after admission to the program (job description 3.D, "2 weeks upon client admission").',
    due: '14 calendar days after admission',
    source: '000 §3.D',
    kind: 'admission',
    settings: [],
    dueOn: (admission) => addCalendarDays(admission, 14),
    cycleOf: once,
    evidence: documented('CIP-INITIAL'),
  },
  'CIP-REVIEW': {
    id: 'CIP-REVIEW',
    title: 'Crisis Intervention Plan review',
    display: 'Crisis Intervention Plan review',
    definition:
      'Rule CIP-REVIEW: the Crisis Intervention Plan is reviewed with every Quarterly Review and due on the same date (job description 3.D, "reviewed quarterly").',
    due: 'with every Quarterly Review',
    source: '000 §3.D',
    ...quarterly,
    evidence: documented('CIP-REVIEW'),
  },
  'CIP-ANNUAL': {
    id: 'CIP-ANNUAL',
    title: 'Crisis Intervention Plan update',
    display: 'Crisis Intervention Plan update',
    definition:
      'Rule CIP-ANNUAL: the Crisis Intervention Plan is updated every year in the month the Annual Assessment is due (job description 3.D).',
    due: 'by the end of the month in which the Annual Assessment is due, every year',
    source: '000 §3.D',
    kind: 'recurring',
    settings: ['recurringLeadDays', 'annualAssessmentDue'],
    dueOn: cipAnnualDue,
    opensOn: leadTimeBefore(cipAnnualDue),
    cycleOf: byDueDate,
    evidence: documented('CIP-ANNUAL'),
  },
  'ANNUAL-ASSESSMENT': {
    id: 'ANNUAL-ASSESSMENT',
    title: 'Annual Assessment',
    display: 'Annual Assessment',
    definition:
      'Rule ANNUAL-ASSESSMENT: the Annual Assessment is due by the end of the month of each admission anniversary (agency default; job description 3.C and 4).',
    due: 'by the end of the month of each admission anniversary (assumption)',
    source: '000 §3.C, §4',
    kind: 'recurring',
    settings: ['recurringLeadDays', 'annualAssessmentDue'],
    dueOn: annualAssessmentDue,
    opensOn: leadTimeBefore(annualAssessmentDue),
    cycleOf: byDueDate,
    evidence: { ...documented('ANNUAL-ASSESSMENT'), recordsAssessment: true },
  },
  QR: {
    id: 'QR',
    title: 'Quarterly Review',
    display: 'Quarterly Review',
    definition:
      'Rule QR: a Quarterly Review is due 3, 6 and 9 months after admission and after each anniversary, except in a month in which an Assessment is completed or updated, when that review is waived (job description 3.C).',
    due: '3, 6 and 9 months after admission and after each anniversary; waived, not moved, in a month in which an assessment is due, completed or updated',
    source: '000 §3.C',
    ...quarterly,
    evidence: documented('QR'),
  },
  'POST-HOSPITAL-CONTACT': {
    id: 'POST-HOSPITAL-CONTACT',
    title: 'Face-to-face contact after a hospital release',
    display: 'Face-to-face contact after hospital release',
    definition:
      'Rule POST-HOSPITAL-CONTACT: a face-to-face contact with the client is due no more than 5 business days after release from the hospital (job description 2.H).',
    due: '5 business days after the release date',
    source: '000 §2.H',
    kind: 'hospital-release',
    settings: [],
    dueOn: (release, _n, policy) => addBusinessDays(release, 5, policy),
    cycleOf: byTrigger,
    evidence: { ...documented('POST-HOSPITAL-CONTACT'), contact: { kinds: ['face-to-face'] } },
    // A readmission before the contact is met: the new stay's weeks take over.
    supersededBy: {
      reason: ({ cycle }, { stays }) => {
        const readmission = readmissionAfter(cycle, stays);
        return readmission && `Readmitted to hospital (Encounter/${readmission}) before the post-hospital contact`;
      },
    },
  },
  'HOSPITAL-CONTACT': {
    id: 'HOSPITAL-CONTACT',
    title: 'Contact with the client while hospitalized',
    display: 'Contact during hospital stay',
    definition:
      'Rule HOSPITAL-CONTACT: keep contact with a hospitalized client and take part in discharge planning, from hospital admission until release; a weekly contact is due while the stay lasts (agency default; job description 2.H).',
    due: 'every 7 calendar days from hospital admission while the stay lasts (assumption)',
    source: '000 §2.H',
    kind: 'hospital-stay',
    settings: ['hospitalContactIntervalDays'],
    dueOn: (admittedOn, week, policy) => addCalendarDays(admittedOn, week * policy.hospitalContactIntervalDays),
    // Weeks do not overlap: week n opens the day after week n - 1 is due, so one contact meets one week.
    opensOn: (admittedOn, week, policy) =>
      week === 1 ? admittedOn : addCalendarDays(admittedOn, (week - 1) * policy.hospitalContactIntervalDays + 1),
    cycleOf: ({ triggerId, n }) => `${triggerId}/week-${n}`,
    evidence: { contact: { byDueDate: true } },
    // The release ends the stay's weeks; the post-hospital contact takes over.
    supersededBy: {
      reason: ({ focus }, { event, encounterId, stays }) =>
        event === 'hospital-release' && focus === `Encounter/${encounterId}` ? `Released from hospital on ${stays[encounterId]?.releasedOn}` : undefined,
      keepsOverdue: true,
    },
  },
  'DISCHARGE-PLAN': {
    id: 'DISCHARGE-PLAN',
    title: 'Discharge Plan',
    display: 'Discharge Plan',
    definition: 'Rule DISCHARGE-PLAN: a Discharge Plan is due within 10 calendar days of program discharge (job description 3.F).',
    due: '10 calendar days after program discharge',
    source: '000 §3.F',
    kind: 'discharge',
    settings: ['dischargeGraceDays'],
    dueOn: (discharge) => addCalendarDays(discharge, 10),
    cycleOf: () => 'discharge',
    evidence: documented('DISCHARGE-PLAN'),
  },
  'NOTE-INDIVIDUAL': {
    id: 'NOTE-INDIVIDUAL',
    title: 'Community Support Individual Note',
    display: 'Community Support Individual Note',
    definition:
      'Rule NOTE-INDIVIDUAL: a Community Support Individual Note is due by the end of the next business day after the contact (job description 3.A).',
    due: 'by the end of the next business day after the contact',
    source: '000 §3.A',
    kind: 'contact',
    contactKind: 'face-to-face',
    settings: [],
    dueOn: nextBusinessDay,
    cycleOf: byTrigger,
    evidence: documented('NOTE-INDIVIDUAL'),
  },
  'NOTE-COLLATERAL': {
    id: 'NOTE-COLLATERAL',
    title: 'Collateral Note',
    display: 'Collateral Note',
    definition:
      'Rule NOTE-COLLATERAL: a Collateral Note is due by the end of the next business day after the collateral contact (job description 3.B).',
    due: 'by the end of the next business day after the collateral contact',
    source: '000 §3.B',
    kind: 'contact',
    contactKind: 'collateral',
    settings: [],
    dueOn: nextBusinessDay,
    cycleOf: byTrigger,
    evidence: documented('NOTE-COLLATERAL'),
  },
  'NOTE-TREATMENT-TEAM': {
    id: 'NOTE-TREATMENT-TEAM',
    title: 'Treatment Team Documentation',
    display: 'Treatment Team Documentation',
    definition:
      'Rule NOTE-TREATMENT-TEAM: Treatment Team Documentation is due by the end of the next business day after the meeting (job description 3.E).',
    due: 'by the end of the next business day after the meeting',
    source: '000 §3.E',
    kind: 'contact',
    contactKind: 'treatment-team',
    settings: [],
    dueOn: nextBusinessDay,
    cycleOf: byTrigger,
    evidence: documented('NOTE-TREATMENT-TEAM'),
  },
  'NOTE-CRISIS': {
    id: 'NOTE-CRISIS',
    title: 'Crisis intervention note',
    display: 'Crisis intervention note',
    definition:
      'Rule NOTE-CRISIS: a crisis intervention note is due by the end of the next business day after an unscheduled crisis contact (agency default; job description 2.M).',
    due: 'by the end of the next business day after the crisis contact (assumption)',
    source: '000 §2.M',
    kind: 'contact',
    contactKind: 'crisis',
    settings: ['crisisNoteBusinessDays'],
    dueOn: (contact, _n, policy) => addBusinessDays(contact, policy.crisisNoteBusinessDays, policy),
    cycleOf: byTrigger,
    evidence: documented('NOTE-CRISIS'),
  },
};

/** The row of a requirement code; undefined for ESCALATION. */
export function ruleOf(code: RequirementCode): DeadlineRule | undefined {
  return code === 'ESCALATION' ? undefined : DEADLINE_RULES[code];
}

/** The display of a requirement code: its row's, or ESCALATION's. */
export function displayOf(code: RequirementCode): string {
  return ruleOf(code)?.display ?? ESCALATION_CONCEPT.display;
}

export function rulesOfKind(kind: RuleKind): DeadlineRule[] {
  return Object.values(DEADLINE_RULES).filter((rule) => rule.kind === kind);
}
