/**
 * A dated occurrence of a rule: the instants at which its Task must exist, turns due soon and
 * falls overdue, in the agency's time zone.
 */
import type { TaskStatusCode } from '../vocabulary.ts';
import { addBusinessDays } from '../calendar/business-days.ts';
import type { DeadlineCode, DeadlineRule } from './deadline-rules.ts';
import { endOfLocalDay, type Instant, type LocalDate, startOfLocalDay } from '../calendar/local-date.ts';
import type { AgencyPolicy } from './policy.ts';

export interface Deadline {
  code: DeadlineCode;
  /** Stable key, unique per episode and code: the row's `cycleOf` (the due date, the trigger's Encounter id…). */
  cycle: string;
  /** When the Task must exist. */
  opensAt: Instant;
  /** Start of the local day `dueSoonBusinessDays` business days before the due date; never before `opensAt`. */
  dueSoonAt: Instant;
  /** Last millisecond of the due local day: overdue when now > dueAt. */
  dueAt: Instant;
  dueDate: LocalDate;
  /** The rule row that produced it. */
  ruleId: DeadlineCode;
}

/** Occurrence `n` of `rule` counted from `from`, started by the trigger `triggerId` (an Encounter id; the date `from` when none). */
export function deadlineOf(rule: DeadlineRule, from: LocalDate, n: number, policy: AgencyPolicy, triggerId: string = from): Deadline {
  const { timeZone } = policy;
  const dueDate = rule.dueOn(from, n, policy);
  const opensAt = startOfLocalDay(rule.opensOn?.(from, n, policy) ?? from, timeZone);
  const dueSoonOn = addBusinessDays(dueDate, -policy.dueSoonBusinessDays, policy);
  return {
    code: rule.id,
    cycle: rule.cycleOf({ triggerId, n, dueDate }),
    opensAt,
    dueSoonAt: Math.max(opensAt, startOfLocalDay(dueSoonOn, timeZone)),
    dueAt: endOfLocalDay(dueDate, timeZone),
    dueDate,
    ruleId: rule.id,
  };
}

/**
 * Where a requirement stands: `scheduled` (known and timed, its Task not yet open), else its Task's
 * business status.
 */
export type Stage = 'scheduled' | TaskStatusCode;

/** The stages the clock alone moves a requirement not yet met through. */
export type ClockStage = Extract<Stage, 'scheduled' | 'open' | 'due-soon' | 'overdue'>;

type Timed = Pick<Deadline, 'opensAt' | 'dueSoonAt' | 'dueAt'>;

/** The stage the clock alone puts a deadline not yet met in at `now`. */
export function stageAt(deadline: Timed, now: Instant): ClockStage {
  if (now < deadline.opensAt) return 'scheduled';
  if (now > deadline.dueAt) return 'overdue';
  return now >= deadline.dueSoonAt ? 'due-soon' : 'open';
}

/** Whether evidence recorded at `metAt` met the deadline in time: at or before the end of its due day. */
export function timeliness(deadline: Timed, metAt: Instant): Extract<Stage, 'met-on-time' | 'met-late'> {
  return metAt <= deadline.dueAt ? 'met-on-time' : 'met-late';
}
