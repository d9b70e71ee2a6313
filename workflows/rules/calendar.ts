/**
 * The agency's business days: Monday to Friday, minus its holidays (the base calendar, plus the
 * days it adds, minus the days it removes).
 */
import { addCalendarDays, assertLocalDate, dayOfWeek, type LocalDate } from './local-date.ts';
import type { AgencyPolicy } from './policy.ts';
import { isUsFederalHoliday } from './us-federal-holidays.ts';

export function isAgencyHoliday(date: LocalDate, policy: AgencyPolicy): boolean {
  const { calendar, add, remove } = policy.holidays;
  if (add.includes(date)) return true;
  if (remove.includes(date) || calendar === 'none') return false;
  return isUsFederalHoliday(date);
}

export function isBusinessDay(date: LocalDate, policy: AgencyPolicy): boolean {
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6 && !isAgencyHoliday(date, policy);
}

/** Longest run of closed days tolerated before concluding the policy closes the agency for good. */
const MAX_CLOSED_RUN = 366;

/**
 * The date `n` business days after `date` (before it, for negative `n`); `date` itself need not
 * be a business day. `n = 1` from a Friday, a Saturday or a Sunday is the next open Monday.
 */
export function addBusinessDays(date: LocalDate, n: number, policy: AgencyPolicy): LocalDate {
  assertLocalDate(date);
  if (!Number.isInteger(n)) throw new RangeError(`business days must be a whole number, not ${n}`);
  const step = Math.sign(n);
  let day = date;
  let closedRun = 0;
  for (let counted = 0; counted < Math.abs(n); ) {
    day = addCalendarDays(day, step);
    if (isBusinessDay(day, policy)) {
      counted += 1;
      closedRun = 0;
    } else if (++closedRun > MAX_CLOSED_RUN) {
      throw new RangeError(`no business day within ${MAX_CLOSED_RUN} days of ${day}: check the agency's holidays`);
    }
  }
  return day;
}
