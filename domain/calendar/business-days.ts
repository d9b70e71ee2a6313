/**
 * The agency's business days: Monday to Friday, minus its holidays (the base calendar, plus the
 * days it adds, minus the days it removes).
 */
import { assertEpochDay, type EpochDay, epochDayOf, isLocalDate, type LocalDate, localDateOfEpochDay, weekdayOf } from './local-date.ts';
import type { AgencyPolicy } from '../rules/policy.ts';
import { isUsFederalHoliday, isUsFederalHolidayOn } from './us-federal-holidays.ts';

export function isAgencyHoliday(date: LocalDate, policy: AgencyPolicy): boolean {
  const { calendar, add, remove } = policy.holidays;
  if (add.includes(date)) return true;
  if (remove.includes(date) || calendar === 'none') return false;
  return isUsFederalHoliday(date);
}

interface HolidayDays {
  /** The lists the sets were built from, and their lengths then. */
  lists: [add: readonly LocalDate[], addLength: number, remove: readonly LocalDate[], removeLength: number];
  added: ReadonlySet<EpochDay>;
  removed: ReadonlySet<EpochDay>;
}

/**
 * The agency's own days as sets of epoch days, once per `holidays` object. A policy is parsed
 * configuration and never edited, but a list replaced or grown still rebuilds its sets.
 */
const holidayDaysOf = new WeakMap<AgencyPolicy['holidays'], HolidayDays>();

function holidayDays(holidays: AgencyPolicy['holidays']): HolidayDays {
  const known = holidayDaysOf.get(holidays);
  const { add, remove } = holidays;
  const [knownAdd, addLength, knownRemove, removeLength] = known?.lists ?? [];
  if (known && knownAdd === add && addLength === add.length && knownRemove === remove && removeLength === remove.length) return known;
  // A list entry that is not a local date can never equal a day counted here.
  const days = (dates: readonly LocalDate[]) => new Set(dates.filter(isLocalDate).map(epochDayOf));
  const built: HolidayDays = { lists: [add, add.length, remove, remove.length], added: days(add), removed: days(remove) };
  holidayDaysOf.set(holidays, built);
  return built;
}

/** `isBusinessDay` of an epoch day, which must be a local date. */
function isBusinessDayOn(day: EpochDay, policy: AgencyPolicy): boolean {
  const weekday = weekdayOf(assertEpochDay(day));
  if (weekday === 0 || weekday === 6) return false;
  const { calendar } = policy.holidays;
  const { added, removed } = holidayDays(policy.holidays);
  if (added.has(day)) return false;
  if (removed.has(day) || calendar === 'none') return true;
  return !isUsFederalHolidayOn(day);
}

export function isBusinessDay(date: LocalDate, policy: AgencyPolicy): boolean {
  return isBusinessDayOn(epochDayOf(date), policy);
}

/** Longest run of closed days tolerated before concluding the policy closes the agency for good. */
const MAX_CLOSED_RUN = 366;

/**
 * The date `n` business days after `date` (before it, for negative `n`); `date` itself need not
 * be a business day. `n = 1` from a Friday, a Saturday or a Sunday is the next open Monday.
 */
export function addBusinessDays(date: LocalDate, n: number, policy: AgencyPolicy): LocalDate {
  let day = epochDayOf(date);
  if (!Number.isInteger(n)) throw new RangeError(`business days must be a whole number, not ${n}`);
  if (n === 0) return date;
  const step = Math.sign(n);
  let closedRun = 0;
  for (let counted = 0; counted < Math.abs(n); ) {
    day += step;
    if (isBusinessDayOn(day, policy)) {
      counted += 1;
      closedRun = 0;
    } else if (++closedRun > MAX_CLOSED_RUN) {
      throw new RangeError(`no business day within ${MAX_CLOSED_RUN} days of ${localDateOfEpochDay(day)}: check the agency's holidays`);
    }
  }
  return localDateOfEpochDay(day);
}
