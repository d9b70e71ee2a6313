/**
 * Calendar dates and the instants that bound them in the agency's time zone.
 *
 * A `LocalDate` is a day on the agency's wall calendar. Calendar arithmetic on it never needs a
 * time zone (a day is a day), so it runs on whole days counted from 1970-01-01 (`EpochDay`); only
 * the conversions to and from instants use the agency's zone.
 *
 * Why not date-fns for the calendar arithmetic, against the project's rule (date-fns and
 * `@date-fns/tz` for dates): profiling the worker over 3,000 episode starts (408 s of workflow
 * thread CPU) found 105 s constructing `TZDate`s, 63–79 s reading UTC calendar days through them
 * (64 s of it `tzOffset`) and 55–92 s counting business days. Integer days do the same arithmetic
 * without any of that (`bench/rules-cost.ts` measures both). The zone conversions below still
 * use `@date-fns/tz`. `reference.test.ts` checks every day of 1990–2060 against date-fns, and the
 * bounds of local days against `TZDate`, so that no date or instant moves.
 */
import { TZDate, tzOffset } from '@date-fns/tz';

/** 'YYYY-MM-DD' on the agency's wall calendar. */
export type LocalDate = string;
/** Epoch milliseconds. */
export type Instant = number;
/** Days since 1970-01-01 (negative before it): a `LocalDate` as an integer, for arithmetic. */
export type EpochDay = number;

const DAY_MS = 86_400_000;
/** The days Date can hold: ±100,000,000 days around 1970-01-01. */
const DATE_RANGE_DAYS = 100_000_000;

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/** Days in `month` (1–12) of `year`. */
const daysInMonth = (year: number, month: number) =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;

/** The epoch day of a proleptic Gregorian date (month 1–12); any integer year, no 0–99 remapping as in `Date.UTC`. */
function epochDayFromCivil(year: number, month: number, day: number): EpochDay {
  // H. Hinnant, "chrono-compatible low-level date algorithms": years start on March 1.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** [year, month 1–12, day] of an epoch day; the inverse of `epochDayFromCivil`. */
export function civilFromEpochDay(epochDay: EpochDay): [number, number, number] {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1];
}

/** `text.slice(from, from + length)` as a number when it is all ASCII digits, else -1. */
function digits(text: string, from: number, length: number): number {
  let value = 0;
  for (let i = from; i < from + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The epoch day of a real date written 'YYYY-MM-DD', else undefined. Years 0000–0099 are not
 * dates here: they never were (this module used to read them through `Date.UTC`, which takes
 * them for 1900–1999).
 */
function parseLocalDate(value: string): EpochDay | undefined {
  const text = typeof value === 'string' ? value : String(value);
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return epochDayFromCivil(year, month, day);
}

const notALocalDate = (date: unknown) => new RangeError(`not a local date (YYYY-MM-DD): ${JSON.stringify(date)}`);

/** True for a real calendar date written 'YYYY-MM-DD' ('2026-02-30' is not one). */
export function isLocalDate(value: string): boolean {
  return parseLocalDate(value) !== undefined;
}

export function assertLocalDate(date: LocalDate): void {
  epochDayOf(date);
}

/** The epoch day of `date`; a RangeError when it is not a local date. */
export function epochDayOf(date: LocalDate): EpochDay {
  const epochDay = parseLocalDate(date);
  if (epochDay === undefined) throw notALocalDate(date);
  return epochDay;
}

const FIRST_LOCAL_DAY = epochDayFromCivil(100, 1, 1);
const LAST_LOCAL_DAY = epochDayFromCivil(9999, 12, 31);

/** `epochDay` itself when it is a local date (0100-01-01 to 9999-12-31), else the RangeError `epochDayOf` gives its date. */
export function assertEpochDay(epochDay: EpochDay): EpochDay {
  if (epochDay < FIRST_LOCAL_DAY || epochDay > LAST_LOCAL_DAY) throw notALocalDate(localDateOfEpochDay(epochDay));
  return epochDay;
}

const pad = (value: number, length: number) => String(value).padStart(length, '0');

/**
 * 'YYYY-MM-DD' of an epoch day, as date-fns formats 'yyyy-MM-dd' (a year past 9999 has 5 digits,
 * year 0 and before are years BC); a RangeError, as date-fns gives, outside the days Date can hold.
 */
export function localDateOfEpochDay(epochDay: EpochDay): LocalDate {
  if (!(Math.abs(epochDay) <= DATE_RANGE_DAYS)) throw new RangeError('Invalid time value');
  const [year, month, day] = civilFromEpochDay(epochDay);
  return `${pad(year > 0 ? year : 1 - year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export const weekdayOf = (epochDay: EpochDay) => (((epochDay + 4) % 7) + 7) % 7;

/**
 * `days` after `date`. Fractions behave as they did under date-fns (`Date#setDate` truncates the
 * new day of the month); NaN, ±Infinity and results outside Date's range are RangeErrors.
 */
export function addCalendarDays(date: LocalDate, days: number): LocalDate {
  const epochDay = epochDayOf(date);
  if (Number.isInteger(days)) return localDateOfEpochDay(epochDay + days);
  if (Number.isNaN(days)) throw new RangeError('Invalid time value');
  const dayOfMonth = digits(date, 8, 2);
  return localDateOfEpochDay(epochDay - dayOfMonth + Math.trunc(dayOfMonth + days));
}

/** Month arithmetic clamps to the month's last day: Jan 31 + 3 months is Apr 30. */
export function addCalendarMonths(date: LocalDate, months: number): LocalDate {
  const epochDay = epochDayOf(date);
  if (Number.isNaN(months)) throw new RangeError('Invalid time value');
  if (!months) return localDateOfEpochDay(epochDay);
  const year = digits(date, 0, 4);
  const dayOfMonth = digits(date, 8, 2);
  // As date-fns' addMonths: `setMonth(month + months + 1, 0)` (which truncates) is the target month's last day.
  const monthIndex = Math.trunc(digits(date, 5, 2) - 1 + months + 1) - 1;
  const targetYear = year + Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - 12 * Math.floor(monthIndex / 12) + 1;
  const lastDay = daysInMonth(targetYear, targetMonth);
  localDateOfEpochDay(epochDayFromCivil(targetYear, targetMonth, lastDay)); // Date's range, as date-fns' intermediate date
  return localDateOfEpochDay(epochDayFromCivil(targetYear, targetMonth, Math.min(dayOfMonth, lastDay)));
}

export function lastDayOfMonthOf(date: LocalDate): LocalDate {
  const epochDay = epochDayOf(date);
  return localDateOfEpochDay(epochDay - digits(date, 8, 2) + daysInMonth(digits(date, 0, 4), digits(date, 5, 2)));
}

/** 'YYYY-MM' */
export function monthOf(date: LocalDate): string {
  assertLocalDate(date);
  return date.slice(0, 7);
}

export function yearOf(date: LocalDate): number {
  assertLocalDate(date);
  return digits(date, 0, 4);
}

/** Whole calendar months from `from` to `to` ('2026-01-31' to '2026-02-01' is 1). */
export function calendarMonthsBetween(from: LocalDate, to: LocalDate): number {
  assertLocalDate(to);
  assertLocalDate(from);
  return (digits(to, 0, 4) - digits(from, 0, 4)) * 12 + digits(to, 5, 2) - digits(from, 5, 2);
}

/** 0 = Sunday … 6 = Saturday */
export function dayOfWeek(date: LocalDate): number {
  return weekdayOf(epochDayOf(date));
}

/** The date `year-month-day` (month 1–12); `day` past the month's end is a RangeError. */
export function localDate(year: number, month: number, day: number): LocalDate {
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  assertLocalDate(date);
  return date;
}

/** The local date at `instant` in `timeZone`: the wall-clock day `TZDate` shows (RangeError for an invalid instant or zone). */
export function localDateOf(instant: Instant, timeZone: string): LocalDate {
  const time = new Date(instant).getTime();
  const offsetMinutes = Number.isNaN(time) ? NaN : tzOffset(timeZone, new Date(time));
  if (Number.isNaN(offsetMinutes)) throw new RangeError('Invalid time value');
  // The wall-clock fields as TZDate computes them (whole seconds of offset, as it rounds them).
  return localDateOfEpochDay(Math.floor((time - Math.round(-offsetMinutes * 60) * 1000) / DAY_MS));
}

/** Start of each local day already asked for, per zone: QR and CIP-REVIEW, for one, share every date. */
const dayStarts = new Map<string, Map<EpochDay, Instant>>();
const MAX_CACHED_DAY_STARTS = 4096;

/** The first instant of a local day (see `startOfLocalDay`). */
function startOfEpochDay(epochDay: EpochDay, timeZone: string): Instant {
  let starts = dayStarts.get(timeZone);
  const cached = starts?.get(epochDay);
  if (cached !== undefined) return cached;
  const utcMidnight = epochDay * DAY_MS;
  const [before, after] = [utcMidnight - DAY_MS, utcMidnight + DAY_MS];
  // Local midnight lies within 14 hours of UTC midnight. Where the zone has one whole-minute
  // offset from a day before to a day after (no zone changes its offset twice in two days), it is
  // UTC midnight less that offset. Around a change of offset TZDate finds it (or the first instant
  // after a skipped midnight); so it does around a change of the host's own offset, which TZDate's
  // constructor also reads (and which can move its answer by an hour: kept, so that replays keep
  // their instants).
  const offset = tzOffset(timeZone, new Date(before));
  const hostOffset = new Date(before).getTimezoneOffset();
  let start: Instant;
  if (
    Number.isInteger(offset) &&
    offset === tzOffset(timeZone, new Date(after)) &&
    Number.isInteger(hostOffset) &&
    hostOffset === new Date(after).getTimezoneOffset()
  ) {
    start = utcMidnight - offset * 60_000;
  } else {
    const [year, month, day] = civilFromEpochDay(epochDay);
    start = new TZDate(year, month - 1, day, timeZone).getTime();
  }
  if (!starts || starts.size >= MAX_CACHED_DAY_STARTS) dayStarts.set(timeZone, (starts = new Map()));
  starts.set(epochDay, start);
  return start;
}

/**
 * The first instant of the local day. Usually local midnight; where a DST change skips midnight
 * (America/Santiago, America/Havana) it is the first wall-clock time that exists that day.
 */
export function startOfLocalDay(date: LocalDate, timeZone: string): Instant {
  return startOfEpochDay(epochDayOf(date), timeZone);
}

/**
 * The last millisecond of the local day (23:59:59.999 local): a deadline on `date` is met by
 * anything up to and including this instant, and overdue after it.
 */
export function endOfLocalDay(date: LocalDate, timeZone: string): Instant {
  return startOfEpochDay(assertEpochDay(epochDayOf(date) + 1), timeZone) - 1;
}

/** The instant as an ISO dateTime with the zone's offset at that instant: `2026-11-23T00:00:00.000-06:00`. */
export function isoWithOffset(instant: Instant, timeZone: string): string {
  const offsetMinutes = Math.round(tzOffset(timeZone, new Date(instant)));
  const local = new Date(instant + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}
