/**
 * The recurring requirements of an episode (Quarterly Review with the CIP review, Annual
 * Assessment with the CIP update), dated from the admission date. Month arithmetic always counts
 * from admission, never from the previous occurrence, so a Jan 31 admission gives Apr 30, Jul 31
 * and Oct 31 rather than drifting to the 30th.
 */
import { type Deadline, deadlineOf } from './deadline.ts';
import { type DeadlineRule, ruleOf, rulesOfKind } from './deadline-rules.ts';
import { REQUIREMENT_CODES } from '../vocabulary.ts';
import { calendarMonthsBetween, epochDayOf, type Instant, type LocalDate, monthOf } from '../calendar/local-date.ts';
import type { AgencyPolicy } from './policy.ts';

const DAY_MS = 86_400_000;

export interface EpisodeDates {
  admissionDate: LocalDate;
  /** Dates on which an assessment of the client was completed or updated. */
  assessmentDates: readonly LocalDate[];
}

/**
 * True when an assessment is due or done in the month of `date`: the admission anniversary month
 * (the Annual Assessment's month under every `annualAssessmentDue` choice) or the month of a
 * recorded assessment.
 */
function isAssessmentMonth(date: LocalDate, episode: EpisodeDates): boolean {
  const monthsSinceAdmission = calendarMonthsBetween(episode.admissionDate, date);
  const anniversaryMonth = monthsSinceAdmission > 0 && monthsSinceAdmission % 12 === 0;
  return anniversaryMonth || episode.assessmentDates.some((assessed) => monthOf(assessed) === monthOf(date));
}

/** The occurrences (number and due date) of a recurring rule in due order, waived ones left out; endless. */
function* occurrences(rule: DeadlineRule, episode: EpisodeDates, policy: AgencyPolicy): Generator<[n: number, dueDate: LocalDate]> {
  for (let n = 1; ; n += 1) {
    const dueDate = rule.dueOn(episode.admissionDate, n, policy);
    if (rule.waivedInAssessmentMonths && isAssessmentMonth(dueDate, episode)) continue;
    yield [n, dueDate];
  }
}

/**
 * True when local day `date` has ended before `instant` in every time zone (no zone is a whole day
 * behind UTC). Occurrences that long past are skipped without working out their instants in the
 * agency's zone: an episode years old would otherwise date every past quarter at each call.
 */
const endedBefore = (date: LocalDate, instant: Instant) => (epochDayOf(date) + 2) * DAY_MS <= instant;

const byDueThenCode = (a: Deadline, b: Deadline) =>
  a.dueAt - b.dueAt || REQUIREMENT_CODES.indexOf(a.code) - REQUIREMENT_CODES.indexOf(b.code);

/** Every recurring deadline whose `dueAt` lies in [from, until], in due order. QR and CIP-REVIEW share a cycle. */
export function recurringDeadlines(
  episode: EpisodeDates,
  policy: AgencyPolicy,
  window: { from: Instant; until: Instant },
): Deadline[] {
  const found: Deadline[] = [];
  for (const rule of rulesOfKind('recurring')) {
    for (const [n, dueDate] of occurrences(rule, episode, policy)) {
      if (endedBefore(dueDate, window.from)) continue;
      const deadline = deadlineOf(rule, episode.admissionDate, n, policy);
      if (deadline.dueAt > window.until) break;
      if (deadline.dueAt >= window.from) found.push(deadline);
    }
  }
  return found.sort(byDueThenCode);
}

/**
 * What an episode that starts late (an existing client, news that arrived late) must open at
 * `now` for each recurring rule: the current cycle only, that is the latest occurrence already
 * past its due time, and every occurrence open at `now` (opensAt <= now <= dueAt). Whether the
 * record already shows them met is the workflow's question.
 */
export function currentCycleDeadlines(episode: EpisodeDates, policy: AgencyPolicy, now: Instant): Deadline[] {
  const found: Deadline[] = [];
  for (const rule of rulesOfKind('recurring')) {
    let latestPast: Deadline | undefined;
    /** The last occurrence skipped as long past (open before now too: a rule opens no later than its due date). */
    let longPast: number | undefined;
    for (const [n, dueDate] of occurrences(rule, episode, policy)) {
      if (endedBefore(dueDate, now)) {
        longPast = n;
        continue;
      }
      const deadline = deadlineOf(rule, episode.admissionDate, n, policy);
      if (deadline.opensAt > now) break;
      if (deadline.dueAt < now) latestPast = deadline;
      else found.push(deadline);
    }
    latestPast ??= longPast === undefined ? undefined : deadlineOf(rule, episode.admissionDate, longPast, policy);
    if (latestPast) found.push(latestPast);
  }
  return found.sort(byDueThenCode);
}

/** True when an assessment on `assessmentDate` waives `deadline`: a QR or CIP review due in that month. */
export function isWaivedByAssessment(deadline: Deadline, assessmentDate: LocalDate, _policy: AgencyPolicy): boolean {
  return (
    ruleOf(deadline.code)?.waivedInAssessmentMonths === true && monthOf(deadline.dueDate) === monthOf(assessmentDate)
  );
}
