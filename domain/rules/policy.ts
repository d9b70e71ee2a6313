/**
 * The agency's choices where the source documents are silent (the **assumptions** of
 * shared/domain/requirements.md), with the defaults given there. Every field is defaulted, so
 * `agencyPolicySchema.parse({})` is the policy of requirements.md; unknown keys are refused, so a
 * misspelt override fails loudly instead of silently keeping the default.
 */
import { z } from 'zod';
import { isLocalDate } from '../calendar/local-date.ts';
import { CONTACT_KINDS, type ContactKind } from '../vocabulary.ts';

function isIanaTimeZone(name: string): boolean {
  // Intl also accepts UTC offsets ('+01:00'); an offset has no DST rules, so it is not a zone.
  if (!/^[A-Za-z]/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Every setting's default, the assumptions of requirements.md: the schema's defaults, and `defaultAgencyPolicy`. */
const defaults = {
  timeZone: 'America/Chicago',
  holidays: { calendar: 'us-federal' as const, add: [] as string[], remove: [] as string[] },
  recurringLeadDays: 30,
  dueSoonBusinessDays: 2,
  hospitalContactIntervalDays: 7,
  crisisNoteBusinessDays: 1,
  annualAssessmentDue: 'end-of-anniversary-month' as const,
  dischargeGraceDays: 30,
  caseload: { cap: 30, levelOfCareCodes: [] as string[] },
  contactHours: {
    weeklyTargetHours: 25,
    countedKinds: ['face-to-face', 'collateral', 'crisis'] as ContactKind[],
    rollingWeeks: 4,
    holidayProRata: true,
  },
};

/**
 * Built on its first parse rather than on import: the workflow sandbox imports this module
 * afresh for every workflow, and building the schema was most of that import's cost.
 */
function buildAgencyPolicySchema() {
  const localDateSchema = z.string().refine(isLocalDate, 'not a date (YYYY-MM-DD)');
  const days = (min: number) => z.int().min(min).max(366);
  return z.strictObject({
    /** IANA zone in which local days begin and end. */
    timeZone: z.string().refine(isIanaTimeZone, 'not an IANA time zone').default(defaults.timeZone),
    holidays: z
      .strictObject({
        /** Base calendar: US federal holidays on their observed dates, or none. */
        calendar: z.enum(['us-federal', 'none']).default(defaults.holidays.calendar),
        /** Extra days the agency is closed. */
        add: z.array(localDateSchema).default([]),
        /** Base-calendar holidays on which the agency is open. */
        remove: z.array(localDateSchema).default([]),
      })
      .refine((holidays) => !holidays.add.some((date) => holidays.remove.includes(date)), {
        message: 'a date cannot be both added and removed',
      })
      .prefault({}),
    /** Calendar days before its due date that a recurring requirement's Task opens. */
    recurringLeadDays: days(0).default(defaults.recurringLeadDays),
    /** Business days before the due date at which a Task is marked due soon. */
    dueSoonBusinessDays: days(0).default(defaults.dueSoonBusinessDays),
    /** Calendar days between the contacts due while a client stays in hospital. */
    hospitalContactIntervalDays: days(1).default(defaults.hospitalContactIntervalDays),
    /** Business days after a crisis contact that its note is due. */
    crisisNoteBusinessDays: days(0).default(defaults.crisisNoteBusinessDays),
    /** When the Annual Assessment (and so the annual CIP update) falls due each year. */
    annualAssessmentDue: z.enum(['end-of-anniversary-month', 'anniversary-date']).default(defaults.annualAssessmentDue),
    /** Calendar days the workflow keeps waiting for the Discharge Plan after its due date before it closes the episode as unmet. */
    dischargeGraceDays: days(0).default(defaults.dischargeGraceDays),
    caseload: z
      .strictObject({
        /** Most active episodes a specialist carries (CASELOAD). */
        cap: z.int().min(1).max(1000).default(defaults.caseload.cap),
        /** `EpisodeOfCare.type` codes (any system) that count towards the caseload; empty: every active episode. */
        levelOfCareCodes: z.array(z.string().min(1).max(64)).default([]),
      })
      .prefault({}),
    contactHours: z
      .strictObject({
        /** Contact hours a specialist keeps in a week of five business days (CONTACT-HOURS). */
        weeklyTargetHours: z.number().min(0).max(80).default(defaults.contactHours.weeklyTargetHours),
        /** Contact kinds whose time counts; travel time on a counted contact counts with it. */
        countedKinds: z.array(z.enum(CONTACT_KINDS)).default(defaults.contactHours.countedKinds),
        /** Weeks the average runs over, the week just ended and those before it. */
        rollingWeeks: z.int().min(1).max(52).default(defaults.contactHours.rollingWeeks),
        /** A week with holidays has a target pro rata of its business days (Thanksgiving week: 4/5 of it). */
        holidayProRata: z.boolean().default(defaults.contactHours.holidayProRata),
      })
      .prefault({}),
  });
}

/** The agency policy's schema; `z.lazy` builds the real one on the first parse (importing builds only this shell). */
export const agencyPolicySchema = z.lazy(buildAgencyPolicySchema);

export type AgencyPolicy = z.infer<typeof agencyPolicySchema>;

/** The policy of requirements.md, as `agencyPolicySchema.parse({})` gives it, without building the schema. */
export const defaultAgencyPolicy: AgencyPolicy = defaults;

/** Parses an agency's overrides; the Error names each bad path: "agency policy: timeZone: not an IANA time zone". */
export function parseAgencyPolicy(input: unknown): AgencyPolicy {
  const result = agencyPolicySchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const message = issue.code === 'unrecognized_keys' ? `unknown setting ${issue.keys.join(', ')}` : issue.message;
    return path ? `${path}: ${message}` : message;
  });
  throw new Error(`agency policy: ${problems.join('; ')}`);
}
