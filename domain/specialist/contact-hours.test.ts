import { expect, test } from 'vitest';
import { applySpecialistEvent } from './apply-event.ts';
import { carryOver, WEEKS_KEPT } from './carry-over.ts';
import { completeWeeks, completeWeeksBy, figuresOf, rollingAverage } from './contact-hours.ts';
import { nextWrite, reportWriteOf, withReportRefused, withReportWritten } from './outbox.ts';
import { applyAll, contactEvent, DAY, HOUR, specialistState, START } from './specialist-fixtures.ts';
import type { SpecialistState } from './state.ts';

const WEEK = 7 * DAY;
/** Mon 00:00 Chicago after the start week (2026-11-09). */
const FIRST_END = Date.parse('2026-11-09T06:00:00Z');

const weekHours = (state: SpecialistState) => Object.values(state.weeks).map((week) => [week.week, figuresOf(state, week).contactHours, figuresOf(state, week).targetHours, week.complete]);

test('counted kinds only, minutes plus travel; a newer version replaces the older, in whichever week it now falls', () => {
  let state = applyAll(specialistState(), [
    contactEvent('c1', START, 50, { travelMinutes: 10 }),
    contactEvent('c2', START + DAY, 60, { kind: 'treatment-team' }),
    contactEvent('c3', START + DAY, 30, { kind: 'crisis', sourceUpdatedAt: '2026-11-03T18:00:00Z' }),
  ]);
  expect(weekHours(state)).toEqual([['2026-W45', 1.5, 25, false]]);
  state = applySpecialistEvent(state, contactEvent('c3', START + WEEK, 90, { kind: 'crisis', sourceUpdatedAt: '2026-11-04T18:00:00Z' }), START);
  expect(weekHours(state)).toEqual([['2026-W45', 1, 25, false], ['2026-W46', 1.5, 20, false]]); // Veterans Day in W46
  const older = applySpecialistEvent(state, contactEvent('c3', START, 600, { kind: 'crisis', sourceUpdatedAt: '2026-11-03T19:00:00Z', eventId: 'Encounter/c3/_history/old' }), START);
  expect(weekHours(older)).toEqual(weekHours(state));
});

test('a week ends Monday 00:00 local: complete, its report due; weeks without contacts are reported too', () => {
  const state = applyAll(specialistState(), [contactEvent('c1', START, 120)]);
  expect(completeWeeksBy(state, FIRST_END - 1)).toBe(state);
  const later = completeWeeksBy(state, FIRST_END + WEEK + HOUR);
  expect(weekHours(later)).toEqual([['2026-W45', 2, 25, true], ['2026-W47', 0, 25, false], ['2026-W46', 0, 20, true]]);
  expect(nextWrite(later, FIRST_END + WEEK)).toEqual({ kind: 'report', week: '2026-W45' });
});

test('the average waits for rollingWeeks complete weeks, then under target opens CONTACT-HOURS; back at target it closes', () => {
  let state = specialistState({ contactHours: { weeklyTargetHours: 25, countedKinds: ['face-to-face'], rollingWeeks: 2, holidayProRata: true } });
  state = completeWeeksBy(applyAll(state, [contactEvent('c1', START, 20 * 60)]), FIRST_END);
  expect([rollingAverage(state), state.tasks]).toEqual([undefined, []]);
  state = completeWeeksBy(applyAll(state, [contactEvent('c2', START + WEEK, 10 * 60)], FIRST_END), FIRST_END + WEEK);
  expect(rollingAverage(state)).toEqual({ weeks: 2, through: '2026-11-15', averageHours: 15, averageTargetHours: 22.5 });
  expect(state.tasks.map((task) => [task.code, task.n, task.businessStatus, task.description])).toEqual([
    ['CONTACT-HOURS', 1, 'below-target', 'Practitioner/s1 averaged 15.00 contact hours a week over 2 weeks to 2026-11-15, target 22.50'],
  ]);
  // A late contact of the last week lifts the average to target.
  state = applyAll(state, [contactEvent('late', START + WEEK + DAY, 15 * 60)], FIRST_END + WEEK + HOUR);
  expect(state.weeks['2026-W46']!.report?.synced).toBe(false);
  expect(state.tasks.map((task) => [task.businessStatus, task.closedAt !== undefined])).toEqual([['back-within', true]]);
});

test('a report written while its week changed is written again; a refused one waits on the backoff', () => {
  let state = completeWeeksBy(applyAll(specialistState(), [contactEvent('c1', START, 60)]), FIRST_END);
  const write = reportWriteOf(state, '2026-W45', FIRST_END);
  const refused = withReportRefused(state, '2026-W45', { status: 400, code: 'processing' }, FIRST_END);
  expect(refused.weeks['2026-W45']!.report?.writeFailure).toMatchObject({ status: 400, code: 'processing', attempts: 1, retryAt: FIRST_END + 60_000 });
  expect(nextWrite(refused, FIRST_END + 1000)).toBeUndefined();
  expect(nextWrite(refused, FIRST_END + 60_000)).toEqual({ kind: 'report', week: '2026-W45' });
  state = applyAll(state, [contactEvent('c2', START, 60)], FIRST_END);
  expect(withReportWritten(state, write, 'r1').weeks['2026-W45']!.report).toEqual({ synced: false, reportId: 'r1' });
  const rewritten = reportWriteOf(state, '2026-W45', FIRST_END);
  expect(withReportWritten(state, rewritten, 'r1').weeks['2026-W45']!.report).toEqual({ synced: true, reportId: 'r1' });
});

test('carry-over keeps WEEKS_KEPT complete weeks, the incomplete week and unwritten reports; older contacts come too late', () => {
  let state = specialistState();
  for (let week = 0; week < 20; week++) state = completeWeeksBy(applyAll(state, [contactEvent(`c${week}`, START + week * WEEK, 60)]), FIRST_END + week * WEEK);
  for (const key of Object.keys(state.weeks)) if (key !== '2026-W46') state = withReportWritten(state, reportWriteOf(state, key, START), `r-${key}`);
  const carried = carryOver(state);
  const kept = Object.values(carried.weeks).sort((a, b) => a.start.localeCompare(b.start));
  expect(kept.map((week) => week.week)).toEqual(['2026-W46', ...completeWeeks(state).slice(-WEEKS_KEPT).map((week) => week.week), '2027-W12']);
  expect(kept.at(-1)!.complete).toBe(false);
  expect(carried.horizonWeek).toBe('2026-W46');
  expect(applyAll(carried, [contactEvent('old', START, 600)])).toEqual({ ...carried, eventIds: [...carried.eventIds, 'Encounter/old/_history/1'] });
  expect(rollingAverage(carried)).toEqual(rollingAverage(state));
});
