/**
 * US federal holidays (5 U.S.C. 6103) on their observed dates, as OPM publishes them:
 * a holiday on a Saturday is observed the Friday before, one on a Sunday the Monday after.
 * So New Year's Day on a Saturday is observed on December 31 of the year before.
 */
import { addCalendarDays, dayOfWeek, type LocalDate, lastDayOfMonthOf, localDate, yearOf } from './local-date.ts';

export interface Holiday {
  date: LocalDate;
  name: string;
}

interface HolidayRule {
  name: string;
  /** First year the holiday was observed under its current rule. */
  since?: number;
  /** The holiday's own date in `year`, before the weekend shift. */
  dateIn: (year: number) => LocalDate;
}

const MONDAY = 1;
const THURSDAY = 4;

const on = (month: number, day: number) => (year: number) => localDate(year, month, day);

const nth = (n: number, weekday: number, month: number) => (year: number) => {
  const first = localDate(year, month, 1);
  return addCalendarDays(first, (weekday - dayOfWeek(first) + 7) % 7 + 7 * (n - 1));
};

const last = (weekday: number, month: number) => (year: number) => {
  const end = lastDayOfMonthOf(localDate(year, month, 1));
  return addCalendarDays(end, -((dayOfWeek(end) - weekday + 7) % 7));
};

const US_FEDERAL_HOLIDAY_RULES: readonly HolidayRule[] = [
  { name: "New Year's Day", dateIn: on(1, 1) },
  { name: 'Birthday of Martin Luther King, Jr.', since: 1986, dateIn: nth(3, MONDAY, 1) },
  { name: "Washington's Birthday", dateIn: nth(3, MONDAY, 2) },
  { name: 'Memorial Day', dateIn: last(MONDAY, 5) },
  { name: 'Juneteenth National Independence Day', since: 2021, dateIn: on(6, 19) },
  { name: 'Independence Day', dateIn: on(7, 4) },
  { name: 'Labor Day', dateIn: nth(1, MONDAY, 9) },
  { name: 'Columbus Day', dateIn: nth(2, MONDAY, 10) },
  { name: 'Veterans Day', dateIn: on(11, 11) },
  { name: 'Thanksgiving Day', dateIn: nth(4, THURSDAY, 11) },
  { name: 'Christmas Day', dateIn: on(12, 25) },
];

/** The rules above have held since 1986 (Veterans Day moved back to Nov 11 in 1978, MLK Day began). */
export const FIRST_SUPPORTED_YEAR = 1986;

function observed(date: LocalDate): LocalDate {
  switch (dayOfWeek(date)) {
    case 6:
      return addCalendarDays(date, -1);
    case 0:
      return addCalendarDays(date, 1);
    default:
      return date;
  }
}

const observedByYear = new Map<number, readonly Holiday[]>();

function observedIn(year: number): readonly Holiday[] {
  let holidays = observedByYear.get(year);
  if (!holidays) {
    if (!Number.isInteger(year) || year < FIRST_SUPPORTED_YEAR) {
      throw new RangeError(`US federal holidays are computed for ${FIRST_SUPPORTED_YEAR} onward, not ${year}`);
    }
    holidays = [year, year + 1]
      .flatMap((holidayYear) =>
        US_FEDERAL_HOLIDAY_RULES.filter((rule) => (rule.since ?? FIRST_SUPPORTED_YEAR) <= holidayYear).map((rule) =>
          Object.freeze({ date: observed(rule.dateIn(holidayYear)), name: rule.name }),
        ),
      )
      .filter((holiday) => holiday.date.startsWith(`${year}-`))
      .sort((a, b) => a.date.localeCompare(b.date));
    observedByYear.set(year, holidays);
  }
  return holidays;
}

/**
 * The federal holidays observed in `year`, in date order. The year is the observed date's year:
 * 2021 ends with New Year's Day 2022 observed on 2021-12-31, and 2022 has no January 1 holiday.
 */
export function usFederalHolidays(year: number): Holiday[] {
  return [...observedIn(year)];
}

export function isUsFederalHoliday(date: LocalDate): boolean {
  return observedIn(yearOf(date)).some((holiday) => holiday.date === date);
}
