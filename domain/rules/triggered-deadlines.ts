/**
 * Deadlines started by an event of the episode: admission, a hospital stay or release, a contact,
 * program discharge. Each opens at the start of its trigger's local day.
 */
import type { ContactKind } from '../vocabulary.ts';
import { type Deadline, deadlineOf } from './deadline.ts';
import { DEADLINE_RULES, rulesOfKind } from './deadline-rules.ts';
import { addCalendarDays, endOfLocalDay, type Instant, type LocalDate } from '../calendar/local-date.ts';
import type { AgencyPolicy } from './policy.ts';

/** The one-time deadlines that admission starts (CIP-INITIAL); each keyed by cycle '1'. */
export function admissionDeadlines(admissionDate: LocalDate, policy: AgencyPolicy): Deadline[] {
  return rulesOfKind('admission').map((rule) => deadlineOf(rule, admissionDate, 1, policy, '1'));
}

/** The face-to-face contact due within 5 business days of a hospital release (the discharge Encounter's end date). */
export function postHospitalContactDeadline(
  release: { encounterId: string; date: LocalDate },
  policy: AgencyPolicy,
): Deadline {
  return deadlineOf(DEADLINE_RULES['POST-HOSPITAL-CONTACT'], release.date, 1, policy, release.encounterId);
}

/**
 * The contact due in week `week` (1, 2, …) of a hospital stay: week n is due n intervals after
 * the hospital admission and opens the day after week n - 1 is due. The workflow asks for the
 * next week while the stay lasts.
 */
export function hospitalContactDeadline(
  stay: { encounterId: string; admittedOn: LocalDate },
  week: number,
  policy: AgencyPolicy,
): Deadline {
  if (!Number.isInteger(week) || week < 1) throw new RangeError(`hospital stay week must be 1 or more, not ${week}`);
  return deadlineOf(DEADLINE_RULES['HOSPITAL-CONTACT'], stay.admittedOn, week, policy, `${stay.encounterId}/week-${week}`);
}

/** The note a contact of `kind` requires, keyed by the contact's Encounter id. */
export function contactNoteDeadline(
  kind: ContactKind,
  contact: { encounterId: string; date: LocalDate },
  policy: AgencyPolicy,
): Deadline {
  const rule = rulesOfKind('contact').find((candidate) => candidate.contactKind === kind);
  if (!rule) throw new RangeError(`no note rule for contact kind ${JSON.stringify(kind)}`);
  return deadlineOf(rule, contact.date, 1, policy, contact.encounterId);
}

/** The Discharge Plan due 10 calendar days after program discharge; cycle 'discharge'. */
export function dischargePlanDeadline(dischargeDate: LocalDate, policy: AgencyPolicy): Deadline {
  return deadlineOf(DEADLINE_RULES['DISCHARGE-PLAN'], dischargeDate, 1, policy, 'discharge');
}

/**
 * Until when the workflow keeps waiting for an overdue Discharge Plan before it closes the
 * episode as unmet: the end of the local day `dischargeGraceDays` after the plan's due date.
 */
export function dischargeGraceEndsAt(dischargePlan: Deadline, policy: AgencyPolicy): Instant {
  return endOfLocalDay(addCalendarDays(dischargePlan.dueDate, policy.dischargeGraceDays), policy.timeZone);
}
