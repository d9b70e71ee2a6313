/**
 * One row per deadline rule of shared/domain/requirements.md. A row knows how to date its n-th
 * occurrence from the date that starts it (the trigger's date; the admission date for recurring
 * rules); `deadline.ts` turns that into the instants a workflow sleeps until.
 */
import type { ContactKind, RequirementCode } from '../vocabulary.ts';
import { addBusinessDays } from '../calendar/business-days.ts';
import { addCalendarDays, addCalendarMonths, type LocalDate, lastDayOfMonthOf } from '../calendar/local-date.ts';
import type { AgencyPolicy } from './policy.ts';

/** Every requirement code that has a deadline rule (escalation is a consequence, not a rule). */
export type DeadlineCode = Exclude<RequirementCode, 'ESCALATION'>;

/** What starts a rule's clock: admission, the recurring calendar, a hospital stay, a contact, program discharge. */
export type RuleKind = 'admission' | 'recurring' | 'hospital' | 'contact' | 'discharge';

/** Policy settings that every rule uses, so rows do not list them. */
export const SETTINGS_OF_EVERY_RULE = ['timeZone', 'holidays', 'dueSoonBusinessDays'] as const satisfies readonly (keyof AgencyPolicy)[];

export interface DeadlineRule {
  id: DeadlineCode;
  /** Plain name of the document or duty. */
  title: string;
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
  /** Recurring rules only: an occurrence in a month in which an assessment is due or done is waived, not moved. */
  waivedInAssessmentMonths?: boolean;
  /** Contact rules only: the kind of contact whose note this is. */
  contactKind?: ContactKind;
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
    due: '14 calendar days after admission',
    source: '000 §3.D',
    kind: 'admission',
    settings: [],
    dueOn: (admission) => addCalendarDays(admission, 14),
  },
  'CIP-REVIEW': {
    id: 'CIP-REVIEW',
    title: 'Crisis Intervention Plan review',
    due: 'with every Quarterly Review',
    source: '000 §3.D',
    ...quarterly,
  },
  'CIP-ANNUAL': {
    id: 'CIP-ANNUAL',
    title: 'Crisis Intervention Plan update',
    due: 'by the end of the month in which the Annual Assessment is due, every year',
    source: '000 §3.D',
    kind: 'recurring',
    settings: ['recurringLeadDays', 'annualAssessmentDue'],
    dueOn: cipAnnualDue,
    opensOn: leadTimeBefore(cipAnnualDue),
  },
  'ANNUAL-ASSESSMENT': {
    id: 'ANNUAL-ASSESSMENT',
    title: 'Annual Assessment',
    due: 'by the end of the month of each admission anniversary (assumption)',
    source: '000 §3.C, §4',
    kind: 'recurring',
    settings: ['recurringLeadDays', 'annualAssessmentDue'],
    dueOn: annualAssessmentDue,
    opensOn: leadTimeBefore(annualAssessmentDue),
  },
  QR: {
    id: 'QR',
    title: 'Quarterly Review',
    due: '3, 6 and 9 months after admission and after each anniversary; waived, not moved, in a month in which an assessment is due, completed or updated',
    source: '000 §3.C',
    ...quarterly,
  },
  'POST-HOSPITAL-CONTACT': {
    id: 'POST-HOSPITAL-CONTACT',
    title: 'Face-to-face contact after a hospital release',
    due: '5 business days after the release date',
    source: '000 §2.H',
    kind: 'hospital',
    settings: [],
    dueOn: (release, _n, policy) => addBusinessDays(release, 5, policy),
  },
  'HOSPITAL-CONTACT': {
    id: 'HOSPITAL-CONTACT',
    title: 'Contact with the client while hospitalized',
    due: 'every 7 calendar days from hospital admission while the stay lasts (assumption)',
    source: '000 §2.H',
    kind: 'hospital',
    settings: ['hospitalContactIntervalDays'],
    dueOn: (admittedOn, week, policy) => addCalendarDays(admittedOn, week * policy.hospitalContactIntervalDays),
    // Weeks do not overlap: week n opens the day after week n - 1 is due, so one contact meets one week.
    opensOn: (admittedOn, week, policy) =>
      week === 1 ? admittedOn : addCalendarDays(admittedOn, (week - 1) * policy.hospitalContactIntervalDays + 1),
  },
  'DISCHARGE-PLAN': {
    id: 'DISCHARGE-PLAN',
    title: 'Discharge Plan',
    due: '10 calendar days after program discharge',
    source: '000 §3.F',
    kind: 'discharge',
    settings: ['dischargeGraceDays'],
    dueOn: (discharge) => addCalendarDays(discharge, 10),
  },
  'NOTE-INDIVIDUAL': {
    id: 'NOTE-INDIVIDUAL',
    title: 'Community Support Individual Note',
    due: 'by the end of the next business day after the contact',
    source: '000 §3.A',
    kind: 'contact',
    contactKind: 'face-to-face',
    settings: [],
    dueOn: nextBusinessDay,
  },
  'NOTE-COLLATERAL': {
    id: 'NOTE-COLLATERAL',
    title: 'Collateral Note',
    due: 'by the end of the next business day after the collateral contact',
    source: '000 §3.B',
    kind: 'contact',
    contactKind: 'collateral',
    settings: [],
    dueOn: nextBusinessDay,
  },
  'NOTE-TREATMENT-TEAM': {
    id: 'NOTE-TREATMENT-TEAM',
    title: 'Treatment Team Documentation',
    due: 'by the end of the next business day after the meeting',
    source: '000 §3.E',
    kind: 'contact',
    contactKind: 'treatment-team',
    settings: [],
    dueOn: nextBusinessDay,
  },
  'NOTE-CRISIS': {
    id: 'NOTE-CRISIS',
    title: 'Crisis intervention note',
    due: 'by the end of the next business day after the crisis contact (assumption)',
    source: '000 §2.M',
    kind: 'contact',
    contactKind: 'crisis',
    settings: ['crisisNoteBusinessDays'],
    dueOn: (contact, _n, policy) => addBusinessDays(contact, policy.crisisNoteBusinessDays, policy),
  },
};

export function rulesOfKind(kind: RuleKind): DeadlineRule[] {
  return Object.values(DEADLINE_RULES).filter((rule) => rule.kind === kind);
}
