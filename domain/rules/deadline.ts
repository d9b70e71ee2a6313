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
  /**
   * Stable key, unique per episode and code: '1' for CIP-INITIAL; the due date for recurring
   * rules; the trigger's id (Encounter id, or 'discharge') for triggered ones;
   * `${encounterId}/week-${n}` for HOSPITAL-CONTACT.
   */
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

/** Occurrence `n` of `rule` counted from `from`; `cycle` defaults to the due date. */
export function deadlineOf(rule: DeadlineRule, from: LocalDate, n: number, policy: AgencyPolicy, cycle?: string): Deadline {
  const { timeZone } = policy;
  const dueDate = rule.dueOn(from, n, policy);
  const opensAt = startOfLocalDay(rule.opensOn?.(from, n, policy) ?? from, timeZone);
  const dueSoonOn = addBusinessDays(dueDate, -policy.dueSoonBusinessDays, policy);
  return {
    code: rule.id,
    cycle: cycle ?? dueDate,
    opensAt,
    dueSoonAt: Math.max(opensAt, startOfLocalDay(dueSoonOn, timeZone)),
    dueAt: endOfLocalDay(dueDate, timeZone),
    dueDate,
    ruleId: rule.id,
  };
}

/** Where a deadline not yet met stands at `now`; the last three are `Task.businessStatus` codes. */
export type Standing = 'not-open' | Extract<TaskStatusCode, 'open' | 'due-soon' | 'overdue'>;

export function standingAt(deadline: Deadline, now: Instant): Standing {
  if (now < deadline.opensAt) return 'not-open';
  if (now > deadline.dueAt) return 'overdue';
  return now >= deadline.dueSoonAt ? 'due-soon' : 'open';
}

/** Whether evidence recorded at `metAt` met the deadline in time. */
export function timeliness(deadline: Deadline, metAt: Instant): Extract<TaskStatusCode, 'met-on-time' | 'met-late'> {
  return metAt <= deadline.dueAt ? 'met-on-time' : 'met-late';
}
