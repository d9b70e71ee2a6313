/** The edges of counting local dates in whole days (local-date.ts), written out by hand. */
import { describe, expect, it } from 'vitest';
import { addBusinessDays, isBusinessDay } from './business-days.ts';
import {
  addCalendarDays,
  addCalendarMonths,
  calendarMonthsBetween,
  civilFromEpochDay,
  dayOfWeek,
  endOfLocalDay,
  epochDayOf,
  isLocalDate,
  lastDayOfMonthOf,
  localDateOf,
  localDateOfEpochDay,
  startOfLocalDay,
} from './local-date.ts';
import { defaultAgencyPolicy as policy, parseAgencyPolicy } from '../rules/policy.ts';
import { isUsFederalHoliday } from './us-federal-holidays.ts';

describe('epoch days', () => {
  it.each([
    ['1970-01-01', 0],
    ['1969-12-31', -1],
    ['1970-12-31', 364],
    ['1971-01-01', 365],
    ['2000-02-29', 11_016],
    ['2000-03-01', 11_017],
    ['2026-01-01', 20_454],
    ['1600-03-01', -135_080],
    ['0100-01-01', -683_003],
    ['9999-12-31', 2_932_896],
  ])('%s is day %i, and back', (date, day) => {
    expect(epochDayOf(date)).toBe(day);
    expect(localDateOfEpochDay(day)).toBe(date);
    expect(epochDayOf(date) * 86_400_000).toBe(Date.parse(date));
  });

  it('goes from the last day of a year to the first of the next, before 1970 too', () => {
    for (const year of [1899, 1900, 1968, 1969, 1970, 1999, 2000, 2025, 2099]) {
      expect(epochDayOf(`${year + 1}-01-01`) - epochDayOf(`${year}-12-31`)).toBe(1);
      expect(addCalendarDays(`${year}-12-31`, 1)).toBe(`${year + 1}-01-01`);
      expect(addCalendarDays(`${year + 1}-01-01`, -1)).toBe(`${year}-12-31`);
    }
  });

  it('counts leap years as the Gregorian calendar does: 2000 and 1600 leap, 1900 and 2100 not', () => {
    expect(['1600-02-29', '2000-02-29', '2028-02-29', '1968-02-29'].every(isLocalDate)).toBe(true);
    expect(['1900-02-29', '2100-02-29', '2026-02-29'].some(isLocalDate)).toBe(false);
    expect(addCalendarDays('1900-02-28', 1)).toBe('1900-03-01');
    expect(addCalendarDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(lastDayOfMonthOf('2100-02-10')).toBe('2100-02-28');
    expect(lastDayOfMonthOf('1600-02-10')).toBe('1600-02-29');
  });

  it('knows the weekday before 1970 and far after', () => {
    expect(dayOfWeek('1970-01-01')).toBe(4); // Thursday
    expect(dayOfWeek('1969-12-28')).toBe(0); // Sunday
    expect(dayOfWeek('1969-07-20')).toBe(0); // Sunday
    expect(dayOfWeek('1776-07-04')).toBe(4); // Thursday
    expect(dayOfWeek('2100-01-01')).toBe(5); // Friday
    expect(civilFromEpochDay(-1)).toEqual([1969, 12, 31]);
  });

  it('refuses what is not a date, and years 0000–0099', () => {
    for (const text of ['2026-02-29', '2026-00-10', '2026-12-32', '2026-1-05', '２０２６-01-05', '2026-01-05 ', '0099-12-31', '0000-01-01']) {
      expect(isLocalDate(text)).toBe(false);
      expect(() => addCalendarDays(text, 1)).toThrow(new RangeError(`not a local date (YYYY-MM-DD): ${JSON.stringify(text)}`));
    }
    expect(() => endOfLocalDay('9999-12-31', 'UTC')).toThrow(new RangeError('not a local date (YYYY-MM-DD): "10000-01-01"'));
  });
});

describe('months', () => {
  it('clamps Jan 31 + 1 month to the end of February, and counts from the day, not the month end', () => {
    expect(addCalendarMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addCalendarMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addCalendarMonths('2026-01-30', 1)).toBe('2026-02-28');
    expect(addCalendarMonths('2026-02-28', 1)).toBe('2026-03-28');
    expect(addCalendarMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addCalendarMonths('2026-12-31', 2)).toBe('2027-02-28');
    expect(addCalendarMonths('1969-11-30', 3)).toBe('1970-02-28');
  });

  it('counts calendar months across year ends, either way', () => {
    expect(calendarMonthsBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(calendarMonthsBetween('2027-01-01', '2026-12-31')).toBe(-1);
    expect(calendarMonthsBetween('1969-12-15', '1971-01-15')).toBe(13);
  });
});

describe('holidays and business days', () => {
  it('observes New Year’s Day on a Saturday on Friday December 31 of the year before', () => {
    expect(isUsFederalHoliday('2021-12-31')).toBe(true);
    expect(isUsFederalHoliday('2022-01-01')).toBe(false);
    expect(isUsFederalHoliday('2027-12-31')).toBe(true);
    expect(isUsFederalHoliday('2026-12-31')).toBe(false);
    expect(isBusinessDay('2021-12-31', policy)).toBe(false);
  });

  it('refuses years before 1986 on weekdays only, as before', () => {
    expect(() => isUsFederalHoliday('1985-12-31')).toThrow('US federal holidays are computed for 1986 onward, not 1985');
    expect(() => isBusinessDay('1985-12-31', policy)).toThrow(RangeError);
    expect(isBusinessDay('1985-12-29', policy)).toBe(false); // a Sunday
  });

  it('counts business days across Thanksgiving and the year end', () => {
    expect(addBusinessDays('2026-11-25', 1, policy)).toBe('2026-11-27'); // Wed → Fri over Thanksgiving
    expect(addBusinessDays('2026-11-27', -1, policy)).toBe('2026-11-25');
    expect(addBusinessDays('2026-11-24', 3, policy)).toBe('2026-11-30');
    expect(addBusinessDays('2021-12-30', 1, policy)).toBe('2022-01-03'); // Fri Dec 31 observes Jan 1, 2022
    expect(addBusinessDays('2022-01-03', -1, policy)).toBe('2021-12-30');
    expect(addBusinessDays('2026-12-31', 1, policy)).toBe('2027-01-04'); // Jan 1, 2027 is a Friday
    expect(addBusinessDays('2026-12-23', 3, policy)).toBe('2026-12-29'); // over Christmas
  });

  it('uses the agency’s own days, and sees a list that grew', () => {
    const agency = parseAgencyPolicy({ holidays: { add: ['2026-11-27'], remove: ['2026-11-26'] } });
    expect(addBusinessDays('2026-11-25', 1, agency)).toBe('2026-11-26');
    expect(addBusinessDays('2026-11-25', 2, agency)).toBe('2026-11-30');
    agency.holidays.add.push('2026-11-30');
    expect(addBusinessDays('2026-11-25', 2, agency)).toBe('2026-12-01');
  });
});

describe('local days in a zone', () => {
  it('caches nothing that changes an answer: the same instants asked twice and in any order', () => {
    const days = ['2026-03-08', '2026-11-01', '2026-03-08', '2024-09-08'];
    const first = days.map((day) => startOfLocalDay(day, 'America/Santiago'));
    expect(days.map((day) => startOfLocalDay(day, 'America/Santiago'))).toEqual(first);
    expect(startOfLocalDay('2026-03-08', 'America/Chicago')).not.toBe(first[0]);
  });

  it('reads the local date of instants before 1970', () => {
    expect(localDateOf(Date.parse('1969-12-31T23:59:59.999Z'), 'UTC')).toBe('1969-12-31');
    expect(localDateOf(Date.parse('1970-01-01T05:59:59.999Z'), 'America/Chicago')).toBe('1969-12-31');
    expect(() => localDateOf(NaN, 'UTC')).toThrow(new RangeError('Invalid time value'));
    expect(() => localDateOf(0, 'Mars/Olympus_Mons')).toThrow(new RangeError('Invalid time value'));
  });
});
