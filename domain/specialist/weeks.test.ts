import { expect, test } from 'vitest';
import { defaultAgencyPolicy } from '../rules/index.ts';
import { weekEndsAt, weekOfDate, weekOfInstant, weekTargetHours } from './weeks.ts';

test.each([
  ['2026-11-23', '2026-W48', '2026-11-23'],
  ['2026-11-29', '2026-W48', '2026-11-23'],
  ['2026-11-30', '2026-W49', '2026-11-30'],
  ['2027-01-01', '2026-W53', '2026-12-28'],
  ['2027-01-04', '2027-W01', '2027-01-04'],
  ['2021-01-03', '2020-W53', '2020-12-28'],
  ['2024-12-30', '2025-W01', '2024-12-30'],
])('%s is in %s starting %s', (date, week, start) => {
  expect(weekOfDate(date)).toEqual({ week, start });
});

test('a week is local: Sunday 23:30 in Chicago is still that week; it ends Monday 00:00 local', () => {
  const sundayLate = Date.parse('2026-11-30T05:30:00Z'); // 23:30 CST on Sun 11-29
  expect(weekOfInstant(sundayLate, 'America/Chicago').week).toBe('2026-W48');
  expect(new Date(weekEndsAt(weekOfDate('2026-11-23'), 'America/Chicago')).toISOString()).toBe('2026-11-30T06:00:00.000Z');
});

test.each([
  ['2026-11-16', true, 25],
  ['2026-11-23', true, 20], // Thanksgiving
  ['2026-11-23', false, 25],
  ['2026-12-21', true, 20], // Christmas Fri 12-25
])('the week of %s (pro rata %s) has a target of %s hours', (start, holidayProRata, hours) => {
  const policy = { ...defaultAgencyPolicy, contactHours: { ...defaultAgencyPolicy.contactHours, holidayProRata } };
  expect(weekTargetHours(weekOfDate(start), policy)).toBe(hours);
});
