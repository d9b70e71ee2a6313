/**
 * US federal holidays (5 U.S.C. 6103) on their observed dates, as OPM publishes them:
 * a holiday on a Saturday is observed the Friday before, one on a Sunday the Monday after.
 * So New Year's Day on a Saturday is observed on December 31 of the year before.
 */
import { civilFromEpochDay, type EpochDay, epochDayOf, type LocalDate, localDateOfEpochDay, weekdayOf } from './local-date.ts';

export interface Holiday {
  date: LocalDate;
  name: string;
}

interface HolidayRule {
  name: string;
  /** First year the holiday was observed under its current rule. */
  since?: number;
  /** The holiday's own date in `year`, before the weekend shift. */
  dateIn: (year: number) => EpochDay;
}

const MONDAY = 1;
const THURSDAY = 4;

/** Day 1 of `month` (1–12) in `year`; past 9999 the RangeError of a date that is not a local date, as ever. */
const firstOf = (year: number, month: number) => epochDayOf(`${year}-${String(month).padStart(2, '0')}-01`);

const on = (month: number, day: number) => (year: number) => firstOf(year, month) + day - 1;

const nth = (n: number, weekday: number, month: number) => (year: number) => {
  const first = firstOf(year, month);
  return first + ((weekday - weekdayOf(first) + 7) % 7) + 7 * (n - 1);
};

const last = (weekday: number, month: number) => (year: number) => {
  const end = month === 12 ? firstOf(year + 1, 1) - 1 : firstOf(year, month + 1) - 1;
  return end - ((weekdayOf(end) - weekday + 7) % 7);
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

function observed(day: EpochDay): EpochDay {
  switch (weekdayOf(day)) {
    case 6:
      return day - 1;
    case 0:
      return day + 1;
    default:
      return day;
  }
}

interface ObservedYear {
  /** In date order. */
  holidays: readonly Holiday[];
  days: ReadonlySet<EpochDay>;
}

/** Built once per year per module instance (in the workflow sandbox: per workflow). */
const observedByYear = new Map<number, ObservedYear>();

function observedIn(year: number): ObservedYear {
  let observedYear = observedByYear.get(year);
  if (!observedYear) {
    if (!Number.isInteger(year) || year < FIRST_SUPPORTED_YEAR) {
      throw new RangeError(`US federal holidays are computed for ${FIRST_SUPPORTED_YEAR} onward, not ${year}`);
    }
    const [from, until] = [firstOf(year, 1), firstOf(year + 1, 1)];
    const found = [year, year + 1]
      .flatMap((holidayYear) =>
        US_FEDERAL_HOLIDAY_RULES.filter((rule) => (rule.since ?? FIRST_SUPPORTED_YEAR) <= holidayYear).map((rule) => ({
          day: observed(rule.dateIn(holidayYear)),
          name: rule.name,
        })),
      )
      .filter(({ day }) => day >= from && day < until)
      .sort((a, b) => a.day - b.day);
    observedYear = {
      holidays: found.map(({ day, name }) => Object.freeze({ date: localDateOfEpochDay(day), name })),
      days: new Set(found.map(({ day }) => day)),
    };
    observedByYear.set(year, observedYear);
  }
  return observedYear;
}

/**
 * The federal holidays observed in `year`, in date order. The year is the observed date's year:
 * 2021 ends with New Year's Day 2022 observed on 2021-12-31, and 2022 has no January 1 holiday.
 */
export function usFederalHolidays(year: number): Holiday[] {
  return [...observedIn(year).holidays];
}

export function isUsFederalHoliday(date: LocalDate): boolean {
  return isUsFederalHolidayOn(epochDayOf(date));
}

/** `isUsFederalHoliday` of an epoch day (a RangeError before 1986, as there). */
export function isUsFederalHolidayOn(day: EpochDay): boolean {
  return observedIn(civilFromEpochDay(day)[0]).days.has(day);
}
