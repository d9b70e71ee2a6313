import { describe, expect, it } from 'vitest';
import { addCalendarDays, dayOfWeek } from './local-date.ts';
import { usFederalHolidays } from './us-federal-holidays.ts';

// Observed dates as OPM publishes them (opm.gov, "Federal Holidays"), written out by hand rather
// than computed, so that the rules are checked against the published calendar.
const OPM_OBSERVED: Record<number, string[]> = {
  2020: ['01-01', '01-20', '02-17', '05-25', '07-03', '09-07', '10-12', '11-11', '11-26', '12-25'],
  2021: ['01-01', '01-18', '02-15', '05-31', '06-18', '07-05', '09-06', '10-11', '11-11', '11-25', '12-24', '12-31'],
  2022: ['01-17', '02-21', '05-30', '06-20', '07-04', '09-05', '10-10', '11-11', '11-24', '12-26'],
  2023: ['01-02', '01-16', '02-20', '05-29', '06-19', '07-04', '09-04', '10-09', '11-10', '11-23', '12-25'],
  2024: ['01-01', '01-15', '02-19', '05-27', '06-19', '07-04', '09-02', '10-14', '11-11', '11-28', '12-25'],
  2025: ['01-01', '01-20', '02-17', '05-26', '06-19', '07-04', '09-01', '10-13', '11-11', '11-27', '12-25'],
  2026: ['01-01', '01-19', '02-16', '05-25', '06-19', '07-03', '09-07', '10-12', '11-11', '11-26', '12-25'],
  2027: ['01-01', '01-18', '02-15', '05-31', '06-18', '07-05', '09-06', '10-11', '11-11', '11-25', '12-24', '12-31'],
  2028: ['01-17', '02-21', '05-29', '06-19', '07-04', '09-04', '10-09', '11-10', '11-23', '12-25'],
};

describe('usFederalHolidays', () => {
  it.each(Object.entries(OPM_OBSERVED))('matches the OPM calendar for %s', (year, days) => {
    expect(usFederalHolidays(Number(year)).map((h) => h.date)).toEqual(days.map((day) => `${year}-${day}`));
  });

  it('observes New Year’s Day on a Saturday on December 31 of the year before', () => {
    expect(usFederalHolidays(2010).at(-1)).toEqual({ date: '2010-12-31', name: "New Year's Day" });
    expect(usFederalHolidays(2011).map((h) => h.date)).not.toContain('2011-01-01');
    expect(usFederalHolidays(2032).at(-1)).toEqual({ date: '2032-12-31', name: "New Year's Day" });
  });

  it('observes a Sunday holiday on the Monday after', () => {
    expect(usFederalHolidays(2016)).toContainEqual({ date: '2016-12-26', name: 'Christmas Day' });
    expect(usFederalHolidays(2017)).toContainEqual({ date: '2017-01-02', name: "New Year's Day" });
  });

  it('has Juneteenth from 2021 only, first observed on Friday 2021-06-18', () => {
    expect(usFederalHolidays(2020).map((h) => h.name)).not.toContain('Juneteenth National Independence Day');
    expect(usFederalHolidays(2021)).toContainEqual({ date: '2021-06-18', name: 'Juneteenth National Independence Day' });
  });

  it('refuses years before its rules held', () => {
    expect(() => usFederalHolidays(1985)).toThrow(RangeError);
    expect(usFederalHolidays(1986)[1]).toEqual({ date: '1986-01-20', name: 'Birthday of Martin Luther King, Jr.' });
  });

  describe.each(Array.from({ length: 2100 - 1986 + 1 }, (_, i) => 1986 + i))('in %i', (year) => {
    const holidays = usFederalHolidays(year);

    it('every observed date is a weekday of that year, in order, each once', () => {
      for (const { date } of holidays) {
        expect(date.startsWith(`${year}-`)).toBe(true);
        expect([1, 2, 3, 4, 5]).toContain(dayOfWeek(date));
      }
      const dates = holidays.map((h) => h.date);
      expect(dates).toEqual([...new Set(dates)].sort());
    });

    it('Thanksgiving is the fourth Thursday, Memorial Day the last Monday of May', () => {
      const thanksgiving = holidays.find((h) => h.name === 'Thanksgiving Day')!.date;
      expect(dayOfWeek(thanksgiving)).toBe(4);
      expect(Number(thanksgiving.slice(8))).toBeGreaterThanOrEqual(22);
      expect(Number(thanksgiving.slice(8))).toBeLessThanOrEqual(28);
      const memorial = holidays.find((h) => h.name === 'Memorial Day')!.date;
      expect(dayOfWeek(memorial)).toBe(1);
      expect(addCalendarDays(memorial, 7).slice(5, 7)).toBe('06');
    });

    it('holds each of its 10 holidays (11 from 2021) once, New Year’s Day moving to the year before from a Saturday', () => {
      const isSaturday = (date: string) => dayOfWeek(date) === 6;
      const ownHolidays = year >= 2021 ? 11 : 10;
      const movedIn = isSaturday(`${year + 1}-01-01`) ? 1 : 0;
      const movedOut = isSaturday(`${year}-01-01`) ? 1 : 0;
      expect(holidays).toHaveLength(ownHolidays + movedIn - movedOut);
    });
  });
});
