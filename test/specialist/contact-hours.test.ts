/**
 * CONTACT-HOURS on the time-skipping server, read back from the embedded FHIR server: each week's
 * MeasureReport at its end (Thanksgiving week 2027-W47 with a 20-hour target), the rolling average
 * of four weeks under target opening a CONTACT-HOURS Task for the supervisor, a contact reported
 * late correcting its week's report (one resource, new hours) and bringing the average back to
 * target, which completes the Task as back-within.
 */
import { expect, test } from 'vitest';
import { getCaseload } from '../../workflows/specialist/messages.ts';
import { localNoon, recordFixture, skipTo } from '../episode/harness.ts';
import { businessStatusOf, contact, hoursOf, specialistInput, specialistTasks, stackFrom, SUPERVISOR, tell, until, weeklyReports, weekOfReport } from './harness.ts';

const running = stackFrom('2027-11-01');

const input = specialistInput('s-hours');
const reportsByWeek = async () => Object.fromEntries((await weeklyReports(running.stack.fhir, 's-hours')).map((report) => [weekOfReport(report)!, report]));

/** Contacts of `minutes` (plus 30 minutes' travel each) on the given days. */
async function contacts(prefix: string, days: string[], minutes: number) {
  for (const [n, day] of days.entries()) await tell(running.stack, input, contact(`${prefix}-${n}`, day, minutes, 30));
}

test('weekly reports with their targets, an average under target opens CONTACT-HOURS, a late contact corrects its week and closes it', { timeout: 300_000 }, async () => {
  const weekdays = (monday: string) => [0, 1, 2, 3, 4].map((day) => new Date(Date.parse(`${monday}T12:00:00Z`) + day * 86_400_000).toISOString().slice(0, 10));
  await contacts('w44', weekdays('2027-11-01'), 270); // 5 × 5 h = 25 h
  await skipTo(running.stack.env, localNoon('2027-11-08'));
  const first = await until('W44 reported', reportsByWeek, (reports) => reports['2027-W44'] !== undefined);
  expect(first['2027-W44']).toMatchObject({
    status: 'complete',
    type: 'individual',
    measure: 'https://fhir.care-episodes.org/Measure/contact-hours',
    subject: { reference: 'Practitioner/s-hours' },
    period: { start: '2027-11-01T00:00:00.000-05:00', end: '2027-11-07T23:59:59.999-06:00' }, // daylight saving ends on 11-07,
  });
  expect([hoursOf(first['2027-W44'], 'contact-hours'), hoursOf(first['2027-W44'], 'target-hours')]).toEqual([25, 25]);
  expect(first['2027-W44']!.group![0]!.population![0]!.count).toBe(5);

  await contacts('w45', weekdays('2027-11-08'), 270); // 25 h
  await skipTo(running.stack.env, localNoon('2027-11-15'));
  await contacts('w46', weekdays('2027-11-15').slice(0, 2), 270); // 10 h
  await skipTo(running.stack.env, localNoon('2027-11-22'));
  await contacts('w47', ['2027-11-22', '2027-11-23', '2027-11-24', '2027-11-26'], 270); // 20 h, Thanksgiving week
  await skipTo(running.stack.env, localNoon('2027-11-29'));

  const reports = await until('W47 reported', reportsByWeek, (found) => found['2027-W47'] !== undefined);
  expect(Object.keys(reports).sort()).toEqual(['2027-W44', '2027-W45', '2027-W46', '2027-W47']);
  expect(['2027-W45', '2027-W46', '2027-W47'].map((week) => [hoursOf(reports[week], 'contact-hours'), hoursOf(reports[week], 'target-hours')])).toEqual([
    [25, 20], // Veterans Day, Thu 11-11
    [10, 25],
    [20, 20], // Thanksgiving, Thu 11-25
  ]);
  const opened = await until('CONTACT-HOURS/1 open', () => specialistTasks(running.stack.fhir, 's-hours'), (tasks) => tasks['CONTACT-HOURS/1'] !== undefined);
  expect(opened['CONTACT-HOURS/1']).toMatchObject({
    status: 'ready',
    owner: { reference: SUPERVISOR },
    focus: { reference: `MeasureReport/${reports['2027-W47']!.id}` },
    description: 'Practitioner/s-hours averaged 20.00 contact hours a week over 4 weeks to 2027-11-28, target 22.50',
  });
  expect(businessStatusOf(opened['CONTACT-HOURS/1'])).toBe('below-target');
  const handle = running.stack.env.client.workflow.getHandle('specialist-s-hours');
  expect(await handle.query(getCaseload)).toMatchObject({ averageHours: 20, averageTargetHours: 22.5, weeks: [{ week: '2027-W44', start: '2027-11-01', contactHours: 25, targetHours: 25 }, {}, {}, {}] });

  // Wednesday of Thanksgiving week, reported a week late: 15 h more for W47.
  await tell(running.stack, input, contact('w47-late', '2027-11-24', 870, 30));
  const corrected = await until('W47 corrected', () => weeklyReports(running.stack.fhir, 's-hours'), (found) => found.some((report) => weekOfReport(report) === '2027-W47' && hoursOf(report, 'contact-hours') === 35));
  expect(corrected.filter((report) => weekOfReport(report) === '2027-W47').map((report) => report.id)).toEqual([reports['2027-W47']!.id]);
  const closed = await until('CONTACT-HOURS/1 back-within', () => specialistTasks(running.stack.fhir, 's-hours'), (tasks) => tasks['CONTACT-HOURS/1']?.status === 'completed');
  expect(businessStatusOf(closed['CONTACT-HOURS/1'])).toBe('back-within');
  expect(closed['CONTACT-HOURS/1']!.description).toBe('Practitioner/s-hours averaged 23.75 contact hours a week over 4 weeks to 2027-11-28, target 22.50: back at target');
  const attributes = await until('search attributes', async () => (await handle.describe()).searchAttributes, (found) => found.CareContactHoursAverage?.[0] === 23.75);
  expect(attributes).toMatchObject({ CareContactHoursAverage: [23.75], CareCaseload: [0], CareCaseloadOverCap: [false] });
  recordFixture('specialist-contact-hours', await handle.fetchHistory());
});
