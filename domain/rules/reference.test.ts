/**
 * The integer calendar arithmetic of local-date.ts, us-federal-holidays.ts and calendar.ts against
 * references: date-fns on UTC dates, what local-date.ts did before (date-fns on `TZDate`s in UTC),
 * and holidays found by walking the days of each month. Every day of 1990–2060, so that an
 * off-by-one anywhere fails; running workflows replay these dates, so they must not move.
 */
import { TZDate, tz } from '@date-fns/tz';
import { addDays, addMonths, differenceInCalendarMonths, format, getDay, lastDayOfMonth, subDays } from 'date-fns';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { addBusinessDays, isBusinessDay } from '../calendar/business-days.ts';
import {
  addCalendarDays,
  addCalendarMonths,
  calendarMonthsBetween,
  dayOfWeek,
  endOfLocalDay,
  isLocalDate,
  lastDayOfMonthOf,
  localDateOf,
  startOfLocalDay,
  yearOf,
} from '../calendar/local-date.ts';
import { defaultAgencyPolicy, parseAgencyPolicy } from './policy.ts';
import { isUsFederalHoliday, usFederalHolidays } from '../calendar/us-federal-holidays.ts';

const DAY_MS = 86_400_000;

/** A Date whose local fields are its UTC fields (as @date-fns/utc's UTCDateMini): date-fns in UTC, fast. */
class UTCDate extends Date {
  [Symbol.for('constructDateFrom')](value: Date | number) {
    return new UTCDate(+new Date(value));
  }
}
for (const method of Object.getOwnPropertyNames(Date.prototype)) {
  const utcMethod = method.replace(/^(get|set)(?!UTC)/, '$1UTC');
  if (utcMethod !== method && utcMethod in Date.prototype) {
    Object.defineProperty(UTCDate.prototype, method, { value: Reflect.get(Date.prototype, utcMethod) });
  }
}

/** date-fns on the UTC dates of `toDate`, in the context `inUtc`. */
function dateFnsIn(
  toDate: (date: string) => Date,
  inUtc: (value: Date | number | string) => Date,
  show = (date: Date) => format(date, 'yyyy-MM-dd', { in: inUtc }),
) {
  return {
    show,
    utcDay: toDate,
    addCalendarDays: (date: string, days: number) => show(addDays(toDate(date), days, { in: inUtc })),
    addCalendarMonths: (date: string, months: number) => show(addMonths(toDate(date), months, { in: inUtc })),
    lastDayOfMonthOf: (date: string) => show(lastDayOfMonth(toDate(date), { in: inUtc })),
    calendarMonthsBetween: (from: string, to: string) => differenceInCalendarMonths(toDate(to), toDate(from), { in: inUtc }),
    dayOfWeek: (date: string) => getDay(toDate(date), { in: inUtc }),
  };
}
const msOf = (date: string) => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day);
};
/** The reference for every day (written out by Date: `before` checks date-fns' formatting). */
const reference = dateFnsIn(
  (date) => new UTCDate(msOf(date)),
  (value) => new UTCDate(+new Date(value)),
  (date) => date.toISOString().slice(0, 10),
);
/** What local-date.ts did before, slower: checked on every fifth day. */
const before = {
  ...dateFnsIn((date) => new TZDate(msOf(date), 'UTC'), tz('UTC')),
  startOfLocalDay: (date: string, timeZone: string) => {
    const day = new TZDate(msOf(date), 'UTC');
    return new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), timeZone).getTime();
  },
  localDateOf: (instant: number, timeZone: string) => format(instant, 'yyyy-MM-dd', { in: tz(timeZone) }),
};

/** Every date from `from` to `to` (years), written by Date itself. */
const datesOf = (from: number, to: number) => {
  const first = Date.UTC(from, 0, 1);
  const days = (Date.UTC(to + 1, 0, 1) - first) / DAY_MS;
  return Array.from({ length: days }, (_, i) => new Date(first + i * DAY_MS).toISOString().slice(0, 10));
};
const DATES = datesOf(1990, 2060);

/** Compares `actual` and `expected` for every input and reports the first few that differ. */
function expectSame<T>(inputs: readonly T[], actual: (input: T) => unknown, expected: (input: T) => unknown): void {
  const differing: string[] = [];
  for (const input of inputs) {
    const [got, wanted] = [actual(input), expected(input)];
    if (!Object.is(got, wanted) && differing.push(`${JSON.stringify(input)}: ${String(got)}, expected ${String(wanted)}`) >= 5) break;
  }
  expect(differing).toEqual([]);
}

describe('every day of 1990–2060 against date-fns', () => {
  it('has as many dates as Date counts, each one a local date', () => {
    expect(DATES).toHaveLength(71 * 365 + 18); // 18 leap days, 1992 to 2060
    expect(DATES.filter((date) => !isLocalDate(date))).toEqual([]);
    expectSame(DATES, yearOf, (date) => reference.utcDay(date).getFullYear());
  });

  it.each([-400, -366, -31, -1, 1, 7, 31, 365, 1461])('addCalendarDays(date, %i)', (days) => {
    expectSame(DATES, (date) => addCalendarDays(date, days), (date) => reference.addCalendarDays(date, days));
  });

  it('addCalendarDays walks from one day to the next', () => {
    const indices = DATES.slice(1).map((_, i) => i);
    expectSame(indices, (i) => addCalendarDays(DATES[i]!, 1), (i) => DATES[i + 1]);
  });

  it.each([-25, -12, -11, -1, 1, 2, 3, 11, 12, 13, 120])('addCalendarMonths(date, %i)', (months) => {
    expectSame(DATES, (date) => addCalendarMonths(date, months), (date) => reference.addCalendarMonths(date, months));
  });

  it('dayOfWeek and lastDayOfMonthOf', () => {
    expectSame(DATES, dayOfWeek, reference.dayOfWeek);
    expectSame(DATES, lastDayOfMonthOf, reference.lastDayOfMonthOf);
  });

  it.each([-800, -40, -1, 0, 1, 31, 59, 400])('calendarMonthsBetween(date, date + %i days)', (days) => {
    const pairs = DATES.map((date) => [date, reference.addCalendarDays(date, days)] as const);
    expectSame(pairs, ([from, to]) => calendarMonthsBetween(from, to), ([from, to]) => reference.calendarMonthsBetween(from, to));
  });
});

describe('every fifth day of 1990–2060 against the TZDate arithmetic local-date.ts did before', () => {
  const dates = DATES.filter((_, i) => i % 5 === 0);

  it.each([-366, -1, 1, 31])('addCalendarDays(date, %i)', (days) => {
    expectSame(dates, (date) => addCalendarDays(date, days), (date) => before.addCalendarDays(date, days));
  });

  it.each([-12, -1, 1, 3, 12, 13])('addCalendarMonths(date, %i)', (months) => {
    expectSame(dates, (date) => addCalendarMonths(date, months), (date) => before.addCalendarMonths(date, months));
  });

  it('dayOfWeek, lastDayOfMonthOf and calendarMonthsBetween', () => {
    expectSame(dates, dayOfWeek, before.dayOfWeek);
    expectSame(dates, lastDayOfMonthOf, before.lastDayOfMonthOf);
    expectSame(dates, (date) => calendarMonthsBetween(date, '2026-01-31'), (date) => before.calendarMonthsBetween(date, '2026-01-31'));
  });
});

describe('odd amounts and far dates, as date-fns had them', () => {
  it.each([
    ['2026-01-01', 1.5],
    ['2026-01-01', -1.5],
    ['2026-03-31', -0.9],
    ['2026-03-31', 0.9],
    ['2026-01-15', -0],
    ['0100-01-01', -1],
    ['0100-03-01', -36_600],
    ['0100-03-01', -800_000],
    ['9999-12-31', 1],
    ['1969-12-31', 1],
    ['1970-01-01', -1],
    ['1600-02-28', 1],
    ['1900-02-28', 1],
  ])('addCalendarDays(%s, %d)', (date, days) => {
    expect(addCalendarDays(date, days)).toBe(before.addCalendarDays(date, days));
  });

  it.each([
    ['2026-01-31', 1.5],
    ['2026-01-31', -1.5],
    ['2026-05-31', -4.5],
    ['2026-01-31', -0],
    ['0100-01-15', -1],
    ['0100-01-15', -1201],
    ['9999-12-31', 1],
    ['1969-01-31', 1],
    ['2000-02-29', 12],
    ['2000-02-29', 1200],
  ])('addCalendarMonths(%s, %d)', (date, months) => {
    expect(addCalendarMonths(date, months)).toBe(before.addCalendarMonths(date, months));
  });

  it('refuses amounts that make no date, with date-fns’ error', () => {
    for (const amount of [NaN, Infinity, -Infinity, 1e9, -1e9]) {
      expect(() => before.addCalendarDays('2026-01-01', amount)).toThrow(new RangeError('Invalid time value'));
      expect(() => addCalendarDays('2026-01-01', amount)).toThrow(new RangeError('Invalid time value'));
      expect(() => before.addCalendarMonths('2026-01-01', amount)).toThrow(new RangeError('Invalid time value'));
      expect(() => addCalendarMonths('2026-01-01', amount)).toThrow(new RangeError('Invalid time value'));
    }
  });
});

describe('US federal holidays against the days of each month', () => {
  /** The holidays of `year` (MLK Day from 1986, Juneteenth from 2021) on their observed dates, found by walking the days. */
  function referenceHolidays(year: number): string[] {
    const day = (month: number, date: number) => new UTCDate(Date.UTC(year, month - 1, date));
    const daysOf = (month: number) => Array.from({ length: 31 }, (_, i) => day(month, i + 1)).filter((d) => d.getMonth() === month - 1);
    const nth = (n: number, weekday: number, month: number) => daysOf(month).filter((d) => getDay(d) === weekday)[n - 1]!;
    const last = (weekday: number, month: number) => daysOf(month).filter((d) => getDay(d) === weekday).at(-1)!;
    const own = [
      day(1, 1),
      nth(3, 1, 1),
      nth(3, 1, 2),
      last(1, 5),
      ...(year >= 2021 ? [day(6, 19)] : []),
      day(7, 4),
      nth(1, 1, 9),
      nth(2, 1, 10),
      day(11, 11),
      nth(4, 4, 11),
      day(12, 25),
    ];
    return own.map((d) => reference.show(getDay(d) === 6 ? subDays(d, 1) : getDay(d) === 0 ? addDays(d, 1) : d));
  }
  const observed = new Set(Array.from({ length: 2061 - 1989 + 1 }, (_, i) => referenceHolidays(1989 + i)).flat());

  it('isUsFederalHoliday on every day', () => {
    expect(DATES.filter((date) => observed.has(date))).toHaveLength(DATES.filter(isUsFederalHoliday).length);
    expectSame(DATES, isUsFederalHoliday, (date) => observed.has(date));
  });

  it('usFederalHolidays of each year', () => {
    const years = Array.from({ length: 2060 - 1990 + 1 }, (_, i) => 1990 + i);
    expectSame(
      years,
      (year) => usFederalHolidays(year).map((holiday) => holiday.date).join(),
      (year) => [...observed].filter((date) => date.startsWith(`${year}-`)).sort().join(),
    );
  });

  it.each([[-2], [1], [5], [-10]])('addBusinessDays(date, %i) as counted day by day', (n) => {
    const agency = parseAgencyPolicy({ holidays: { add: ['2026-11-27', '2030-12-24'], remove: ['2026-10-12'] } });
    for (const policy of [defaultAgencyPolicy, agency]) {
      const { add, remove } = policy.holidays;
      const open = DATES.map(
        (date) => reference.dayOfWeek(date) % 6 !== 0 && !add.includes(date) && (remove.includes(date) || !observed.has(date)),
      );
      const counted = (from: number) => {
        let day = from;
        for (let left = Math.abs(n); left > 0; ) if (open[(day += Math.sign(n))]) left--;
        return DATES[day];
      };
      const indices = DATES.map((_, i) => i).slice(20, -20);
      expectSame(indices, (i) => addBusinessDays(DATES[i]!, n, policy), counted);
      expectSame(indices, (i) => isBusinessDay(DATES[i]!, policy), (i) => open[i]);
    }
  });
});

describe('local days in time zones against TZDate', () => {
  const ZONES = [
    'America/Chicago',
    'America/Santiago', // springs forward at midnight
    'America/Havana', // likewise
    'America/Sao_Paulo', // did, until 2019
    'Pacific/Apia', // skipped 2011-12-30 altogether
    'Australia/Lord_Howe', // half-hour DST
  ];
  const hostZone = process.env.TZ;
  afterAll(() => {
    if (hostZone === undefined) delete process.env.TZ;
    else process.env.TZ = hostZone;
  });

  it.each(ZONES)('startOfLocalDay, endOfLocalDay and localDateOf in %s, every day of 2005–2030 (of 1990–2060 for the default zone)', (timeZone) => {
    const dates = timeZone === defaultAgencyPolicy.timeZone ? DATES : DATES.filter((date) => date >= '2005' && date < '2031');
    const starts = dates.map((date) => before.startOfLocalDay(date, timeZone));
    const indices = dates.map((_, i) => i);
    expectSame(indices, (i) => startOfLocalDay(dates[i]!, timeZone), (i) => starts[i]);
    expectSame(indices.slice(0, -1), (i) => endOfLocalDay(dates[i]!, timeZone), (i) => starts[i + 1]! - 1);
    const instants = starts.flatMap((start) => [start - 1, start]);
    expectSame(instants, (instant) => localDateOf(instant, timeZone), (instant) => before.localDateOf(instant, timeZone));
  });

  // TZDate's constructor reads the host's zone too; the same instants whatever zone the worker runs in.
  it.each([
    ['America/Santiago', 2018, 2024], // the host skips its own midnight
    ['Europe/London', 2018, 2024],
    ['Asia/Kathmandu', 2018, 2024],
    ['Europe/Amsterdam', 1932, 1940], // offsets with seconds until 1937
  ])('startOfLocalDay on a host in %s, %i–%i', async (host, from, to) => {
    process.env.TZ = host;
    vi.resetModules(); // a module instance with none of the days above cached
    const fresh = await import('../calendar/local-date.ts');
    const dates = datesOf(from, to);
    for (const timeZone of ZONES) {
      expectSame(dates, (date) => fresh.startOfLocalDay(date, timeZone), (date) => before.startOfLocalDay(date, timeZone));
    }
  });
});
