import { format } from 'date-fns';
import { tz } from '@date-fns/tz';
import { describe, expect, it, test } from 'vitest';
import {
  addCalendarDays,
  isoWithOffset,
  addCalendarMonths,
  calendarMonthsBetween,
  endOfLocalDay,
  isLocalDate,
  lastDayOfMonthOf,
  localDateOf,
  startOfLocalDay,
} from './local-date.ts';

const chicago = 'America/Chicago';
const iso = (instant: number) => new Date(instant).toISOString();
const wallClock = (instant: number, timeZone: string) => format(instant, 'yyyy-MM-dd HH:mm:ss.SSS', { in: tz(timeZone) });

describe('isLocalDate', () => {
  it.each(['2026-01-15', '2028-02-29', '2026-12-31'])('accepts %s', (date) => expect(isLocalDate(date)).toBe(true));
  it.each(['2026-02-29', '2026-13-01', '2026-04-31', '2026-1-5', '2026-01-15T00:00', ''])('refuses %j', (date) =>
    expect(isLocalDate(date)).toBe(false),
  );
});

describe('calendar arithmetic', () => {
  it('adds days across month, leap-day and year ends', () => {
    expect(addCalendarDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addCalendarDays('2026-12-28', 10)).toBe('2027-01-07');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('clamps months to the last day of the month', () => {
    expect(addCalendarMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addCalendarMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addCalendarMonths('2026-08-31', 3)).toBe('2026-11-30');
    expect(addCalendarMonths('2028-02-29', 12)).toBe('2029-02-28');
  });

  it('knows month ends and counts calendar months', () => {
    expect(lastDayOfMonthOf('2028-02-03')).toBe('2028-02-29');
    expect(lastDayOfMonthOf('2027-01-15')).toBe('2027-01-31');
    expect(calendarMonthsBetween('2026-01-31', '2026-02-01')).toBe(1);
    expect(calendarMonthsBetween('2026-01-15', '2027-01-31')).toBe(12);
  });

  it('refuses malformed dates instead of guessing', () => {
    expect(() => addCalendarDays('2026-02-30', 1)).toThrow(/not a local date/);
  });
});

describe('local days in the agency’s zone', () => {
  it('maps instants to the local date at midnight boundaries', () => {
    expect(localDateOf(Date.parse('2026-01-01T05:59:59.999Z'), chicago)).toBe('2025-12-31');
    expect(localDateOf(Date.parse('2026-01-01T06:00:00.000Z'), chicago)).toBe('2026-01-01');
    expect(localDateOf(Date.parse('2026-01-01T06:00:00.000Z'), 'UTC')).toBe('2026-01-01');
  });

  it('ends a day at 23:59:59.999 local, one millisecond before the next day starts', () => {
    expect(iso(startOfLocalDay('2026-01-29', chicago))).toBe('2026-01-29T06:00:00.000Z');
    expect(iso(endOfLocalDay('2026-01-29', chicago))).toBe('2026-01-30T05:59:59.999Z');
    expect(endOfLocalDay('2026-07-06', chicago) + 1).toBe(startOfLocalDay('2026-07-07', chicago));
  });

  it('keeps the spring-forward day (23 hours) ending at local midnight', () => {
    const start = startOfLocalDay('2026-03-08', chicago);
    const end = endOfLocalDay('2026-03-08', chicago);
    expect(iso(start)).toBe('2026-03-08T06:00:00.000Z');
    expect(iso(end)).toBe('2026-03-09T04:59:59.999Z');
    expect(end + 1 - start).toBe(23 * 3_600_000);
    expect(wallClock(end, chicago)).toBe('2026-03-08 23:59:59.999');
  });

  it('keeps the fall-back day (25 hours) ending at local midnight', () => {
    const start = startOfLocalDay('2026-11-01', chicago);
    const end = endOfLocalDay('2026-11-01', chicago);
    expect(end + 1 - start).toBe(25 * 3_600_000);
    expect(wallClock(start, chicago)).toBe('2026-11-01 00:00:00.000');
    expect(wallClock(end, chicago)).toBe('2026-11-01 23:59:59.999');
  });

  it('starts a day that has no midnight at its first existing instant', () => {
    // Chile springs forward at 00:00: 2024-09-08 begins at 01:00 local (UTC-3).
    expect(iso(startOfLocalDay('2024-09-08', 'America/Santiago'))).toBe('2024-09-08T04:00:00.000Z');
    expect(localDateOf(startOfLocalDay('2024-09-08', 'America/Santiago') - 1, 'America/Santiago')).toBe('2024-09-07');
  });

  it('works in zones east of UTC', () => {
    expect(iso(endOfLocalDay('2026-01-29', 'Pacific/Auckland'))).toBe('2026-01-29T10:59:59.999Z');
  });
});

test.each([
  [Date.parse('2026-11-23T06:00:00Z'), 'America/Chicago', '2026-11-23T00:00:00.000-06:00'],
  [Date.parse('2026-07-06T05:00:00Z'), 'America/Chicago', '2026-07-06T00:00:00.000-05:00'],
  [Date.parse('2026-07-06T05:00:00Z'), 'Asia/Kolkata', '2026-07-06T10:30:00.000+05:30'],
  [Date.parse('2026-07-06T05:00:00Z'), 'UTC', '2026-07-06T05:00:00.000+00:00'],
])('isoWithOffset(%s, %s) is %s', (instant, zone, iso) => {
  expect(isoWithOffset(instant, zone)).toBe(iso);
});
