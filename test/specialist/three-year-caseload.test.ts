/**
 * Three years of a full caseload on the time-skipping server: 30 clients, each seen once a week for
 * 50 minutes (25 hours a week), 156 weeks from Mon 2027-01-04. Every week has its MeasureReport
 * once, with all its hours, across the runs the workflow continues as new into; its history per
 * year is printed.
 */
import { expect, test } from 'vitest';
import { getCaseload } from '../../workflows/specialist/messages.ts';
import { localNoon, recordFixture, skipTo } from '../episode/harness.ts';
import { assigned, contact, eventsPerYear, hoursOf, runHistories, specialistInput, specialistTasks, stackFrom, tell, until, weeklyReports, weekOfReport } from './harness.ts';

const WEEKS = 156;
const DAY = 86_400_000;
const running = stackFrom('2027-01-04');

const dateAfter = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY).toISOString().slice(0, 10);

test('three years of 30 clients seen weekly: 156 reports once each with 25 hours, the workflow continued as new', { timeout: 900_000 }, async () => {
  const input = specialistInput('s-3y');
  const first = await tell(running.stack, input, assigned('y1', '2027-01-04'));
  for (let n = 2; n <= 30; n++) await tell(running.stack, input, assigned(`y${n}`, '2027-01-04'));
  for (let week = 0; week < WEEKS; week++) {
    const monday = dateAfter('2027-01-04', week * 7);
    // Each client seen once, on the Tuesday, Wednesday or Thursday.
    await Promise.all(Array.from({ length: 30 }, (_, client) => tell(running.stack, input, contact(`y${client + 1}-w${week}`, dateAfter(monday, 1 + (client % 3)), 50))));
    await skipTo(running.stack.env, localNoon(dateAfter(monday, 7)));
  }
  const handle = running.stack.env.client.workflow.getHandle('specialist-s-3y');
  const reports = await until('156 reports', () => weeklyReports(running.stack.fhir, 's-3y'), (found) => found.length >= WEEKS && found.every((report) => hoursOf(report, 'contact-hours') === 25), 600);
  const weeks = reports.map(weekOfReport);
  expect(new Set(weeks).size).toBe(reports.length);
  expect(reports.length).toBe(WEEKS);
  expect(weeks.sort()[0]).toBe('2027-W01');
  expect(reports.filter((report) => hoursOf(report, 'target-hours') === 20).length).toBeGreaterThanOrEqual(20); // weeks with a holiday
  expect(Object.keys(await specialistTasks(running.stack.fhir, 's-3y'))).toEqual([]);
  expect(await handle.query(getCaseload)).toMatchObject({ caseload: 30, canAssignOne: false, averageHours: 25 });

  const runs = await runHistories(running.stack, 'specialist-s-3y', first.signaledRunId);
  const perYear = eventsPerYear(runs);
  const lengths = runs.map((run) => run.events?.length ?? 0);
  console.log(`specialist history per year: ${Object.entries(perYear).map(([year, events]) => `${year} ${events} events`).join(', ')}; ${runs.length} runs, longest ${Math.max(...lengths)} events`);
  expect(runs.length).toBeGreaterThan(1);
  expect(Math.max(...lengths)).toBeLessThan(2000);
  // The second run: one that starts from a carried state (the first is like specialist-contact-hours's).
  recordFixture('specialist-three-years', runs[1], 2);
});
