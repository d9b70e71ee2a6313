import { describe, expect, it } from 'vitest';
import { addBusinessDays, isAgencyHoliday, isBusinessDay } from './business-days.ts';
import { addCalendarDays } from './local-date.ts';
import { defaultAgencyPolicy as policy, parseAgencyPolicy } from '../rules/policy.ts';

describe('isBusinessDay', () => {
  it('is Monday to Friday', () => {
    expect(isBusinessDay('2026-01-16', policy)).toBe(true); // Fri
    expect(isBusinessDay('2026-01-17', policy)).toBe(false); // Sat
    expect(isBusinessDay('2026-01-18', policy)).toBe(false); // Sun
  });

  it('closes on the observed date of a federal holiday, not on the weekend date itself', () => {
    expect(isBusinessDay('2026-07-03', policy)).toBe(false); // Independence Day observed
    expect(isAgencyHoliday('2026-07-03', policy)).toBe(true);
    expect(isAgencyHoliday('2026-07-04', policy)).toBe(false); // Saturday, a weekend day anyway
    expect(isBusinessDay('2027-12-31', policy)).toBe(false); // New Year's Day 2028 observed
  });

  it('adds and removes the agency’s own days', () => {
    const agency = parseAgencyPolicy({ holidays: { add: ['2026-11-27', '2026-12-24'], remove: ['2026-10-12'] } });
    expect(isBusinessDay('2026-11-27', agency)).toBe(false);
    expect(isBusinessDay('2026-12-24', agency)).toBe(false);
    expect(isBusinessDay('2026-10-12', agency)).toBe(true); // open on Columbus Day
    expect(isBusinessDay('2026-11-26', agency)).toBe(false); // still closed on Thanksgiving
  });

  it('has only the added days on the "none" calendar', () => {
    const agency = parseAgencyPolicy({ holidays: { calendar: 'none', add: ['2026-03-02'] } });
    expect(isBusinessDay('2026-11-26', agency)).toBe(true);
    expect(isBusinessDay('2026-03-02', agency)).toBe(false);
  });
});

describe('addBusinessDays', () => {
  it('skips weekends and holidays going forward', () => {
    expect(addBusinessDays('2026-11-20', 5, policy)).toBe('2026-11-30'); // over Thanksgiving
    expect(addBusinessDays('2026-07-02', 1, policy)).toBe('2026-07-06'); // over Independence Day observed
    expect(addBusinessDays('2026-12-24', 1, policy)).toBe('2026-12-28'); // over Christmas
  });

  it('counts from a weekend or holiday to the next open day', () => {
    expect(addBusinessDays('2026-01-17', 1, policy)).toBe('2026-01-20'); // Sat → Tue: Mon is MLK Day
    expect(addBusinessDays('2026-07-03', 1, policy)).toBe('2026-07-06');
  });

  it('crosses the year end, observed New Year’s Day included', () => {
    expect(addBusinessDays('2027-12-30', 1, policy)).toBe('2028-01-03'); // Fri Dec 31 observes Jan 1, 2028
    expect(addBusinessDays('2025-12-31', 1, policy)).toBe('2026-01-02');
  });

  it('goes backwards for negative n', () => {
    expect(addBusinessDays('2026-11-30', -2, policy)).toBe('2026-11-25');
    expect(addBusinessDays('2027-01-31', -2, policy)).toBe('2027-01-28'); // from a Sunday
    expect(addBusinessDays('2026-01-05', -1, policy)).toBe('2026-01-02');
  });

  it('returns the date itself for n = 0', () => {
    expect(addBusinessDays('2026-01-18', 0, policy)).toBe('2026-01-18');
  });

  it('is the inverse of itself between business days', () => {
    for (let day = '2026-01-01'; day < '2027-01-01'; day = addCalendarDays(day, 1)) {
      if (isBusinessDay(day, policy)) expect(addBusinessDays(addBusinessDays(day, 7, policy), -7, policy)).toBe(day);
    }
  });

  it('refuses fractional days and a policy with no open day in sight', () => {
    expect(() => addBusinessDays('2026-01-05', 1.5, policy)).toThrow(RangeError);
    const weekdays = Array.from({ length: 800 }, (_, i) => addCalendarDays('2026-01-01', i));
    const closed = parseAgencyPolicy({ holidays: { add: weekdays } });
    expect(() => addBusinessDays('2026-01-01', 1, closed)).toThrow(/no business day within 366 days/);
  });
});
