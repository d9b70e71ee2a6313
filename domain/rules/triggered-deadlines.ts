/**
 * Deadlines started by an event of the episode: admission, a hospital stay or release, a contact,
 * program discharge. Each opens at the start of its trigger's local day unless its row says otherwise.
 */
import type { ContactKind } from '../vocabulary.ts';
import { type Deadline, deadlineOf } from './deadline.ts';
import { type RuleKind, rulesOfKind } from './deadline-rules.ts';
import { addCalendarDays, endOfLocalDay, type Instant, type LocalDate } from '../calendar/local-date.ts';
import type { AgencyPolicy } from './policy.ts';

/** An event that starts rules: its date, its Encounter id if it has one, and for a contact its kind. */
export interface Trigger {
  date: LocalDate;
  encounterId?: string;
  contactKind?: ContactKind;
}

/** Occurrence `n` of every rule of `kind` that `trigger` starts (contact rules: those of its contact kind). */
export function triggeredDeadlines(kind: Exclude<RuleKind, 'recurring'>, trigger: Trigger, policy: AgencyPolicy, n = 1): Deadline[] {
  return rulesOfKind(kind)
    .filter((rule) => rule.contactKind === undefined || rule.contactKind === trigger.contactKind)
    .map((rule) => deadlineOf(rule, trigger.date, n, policy, trigger.encounterId));
}

function theOne(deadlines: Deadline[], what: string): Deadline {
  const [deadline] = deadlines;
  if (!deadline || deadlines.length > 1) throw new RangeError(`expected one rule for ${what}, found ${deadlines.length}`);
  return deadline;
}

/** The one-time deadlines that admission starts (CIP-INITIAL). */
export function admissionDeadlines(admissionDate: LocalDate, policy: AgencyPolicy): Deadline[] {
  return triggeredDeadlines('admission', { date: admissionDate }, policy);
}

/** The face-to-face contact due within 5 business days of a hospital release (the discharge Encounter's end date). */
export function postHospitalContactDeadline(release: { encounterId: string; date: LocalDate }, policy: AgencyPolicy): Deadline {
  return theOne(triggeredDeadlines('hospital-release', release, policy), 'a hospital release');
}

/**
 * The contact due in week `week` (1, 2, …) of a hospital stay: week n is due n intervals after
 * the hospital admission and opens the day after week n - 1 is due. The workflow asks for the
 * next week while the stay lasts.
 */
export function hospitalContactDeadline(stay: { encounterId: string; admittedOn: LocalDate }, week: number, policy: AgencyPolicy): Deadline {
  if (!Number.isInteger(week) || week < 1) throw new RangeError(`hospital stay week must be 1 or more, not ${week}`);
  return theOne(triggeredDeadlines('hospital-stay', { date: stay.admittedOn, encounterId: stay.encounterId }, policy, week), 'a hospital stay');
}

/** The note a contact of `kind` requires, keyed by the contact's Encounter id. */
export function contactNoteDeadline(kind: ContactKind, contact: { encounterId: string; date: LocalDate }, policy: AgencyPolicy): Deadline {
  const [note] = triggeredDeadlines('contact', { ...contact, contactKind: kind }, policy);
  if (!note) throw new RangeError(`no note rule for contact kind ${JSON.stringify(kind)}`);
  return note;
}

/** The Discharge Plan due 10 calendar days after program discharge; cycle 'discharge'. */
export function dischargePlanDeadline(dischargeDate: LocalDate, policy: AgencyPolicy): Deadline {
  return theOne(triggeredDeadlines('discharge', { date: dischargeDate }, policy), 'program discharge');
}

/**
 * Until when the workflow keeps waiting for an overdue Discharge Plan before it closes the
 * episode as unmet: the end of the local day `dischargeGraceDays` after the plan's due date.
 */
export function dischargeGraceEndsAt(dischargePlan: Deadline, policy: AgencyPolicy): Instant {
  return endOfLocalDay(addCalendarDays(dischargePlan.dueDate, policy.dischargeGraceDays), policy.timeZone);
}
