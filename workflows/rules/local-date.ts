/**
 * Calendar dates and the instants that bound them in the agency's time zone.
 *
 * A `LocalDate` is a day on the agency's wall calendar. Calendar arithmetic on it never needs a
 * time zone (a day is a day), so it runs in UTC where no day is 23 or 25 hours long; only the
 * conversions to and from instants use the agency's zone.
 */
import { TZDate, tz } from '@date-fns/tz';
import { addDays, addMonths, differenceInCalendarMonths, format, getDay, lastDayOfMonth } from 'date-fns';

/** 'YYYY-MM-DD' on the agency's wall calendar. */
export type LocalDate = string;
/** Epoch milliseconds. */
export type Instant = number;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const inUtc = tz('UTC');

// From epoch milliseconds: several times faster than TZDate's field constructor, which matters
// because business-day counting converts dates in loops.
const utcDay = (year: number, month: number, day: number) => new TZDate(Date.UTC(year, month - 1, day), 'UTC');

/** True for a real calendar date written 'YYYY-MM-DD' ('2026-02-30' is not one). */
export function isLocalDate(value: string): boolean {
  const match = LOCAL_DATE.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = utcDay(year, month, day);
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day;
}

export function assertLocalDate(date: LocalDate): void {
  if (!isLocalDate(date)) throw new RangeError(`not a local date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

function calendarDay(date: LocalDate): TZDate {
  assertLocalDate(date);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return utcDay(year, month, day);
}

function toLocalDate(day: Date): LocalDate {
  return format(day, 'yyyy-MM-dd', { in: inUtc });
}

export function addCalendarDays(date: LocalDate, days: number): LocalDate {
  return toLocalDate(addDays(calendarDay(date), days, { in: inUtc }));
}

/** Month arithmetic clamps to the month's last day: Jan 31 + 3 months is Apr 30. */
export function addCalendarMonths(date: LocalDate, months: number): LocalDate {
  return toLocalDate(addMonths(calendarDay(date), months, { in: inUtc }));
}

export function lastDayOfMonthOf(date: LocalDate): LocalDate {
  return toLocalDate(lastDayOfMonth(calendarDay(date), { in: inUtc }));
}

/** 'YYYY-MM' */
export function monthOf(date: LocalDate): string {
  assertLocalDate(date);
  return date.slice(0, 7);
}

export function yearOf(date: LocalDate): number {
  return calendarDay(date).getFullYear();
}

/** Whole calendar months from `from` to `to` ('2026-01-31' to '2026-02-01' is 1). */
export function calendarMonthsBetween(from: LocalDate, to: LocalDate): number {
  return differenceInCalendarMonths(calendarDay(to), calendarDay(from), { in: inUtc });
}

/** 0 = Sunday … 6 = Saturday */
export function dayOfWeek(date: LocalDate): number {
  return getDay(calendarDay(date), { in: inUtc });
}

/** The date `year-month-day` (month 1–12); `day` past the month's end is a RangeError. */
export function localDate(year: number, month: number, day: number): LocalDate {
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  calendarDay(date);
  return date;
}

export function localDateOf(instant: Instant, timeZone: string): LocalDate {
  return format(instant, 'yyyy-MM-dd', { in: tz(timeZone) });
}

/**
 * The first instant of the local day. Usually local midnight; where a DST change skips midnight
 * (America/Santiago, America/Havana) it is the first wall-clock time that exists that day.
 */
export function startOfLocalDay(date: LocalDate, timeZone: string): Instant {
  const day = calendarDay(date);
  return new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), timeZone).getTime();
}

/**
 * The last millisecond of the local day (23:59:59.999 local): a deadline on `date` is met by
 * anything up to and including this instant, and overdue after it.
 */
export function endOfLocalDay(date: LocalDate, timeZone: string): Instant {
  return startOfLocalDay(addCalendarDays(date, 1), timeZone) - 1;
}
