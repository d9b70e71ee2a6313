/**
 * A whole episode over three years on the time-skipping server, every Task read back from the
 * embedded FHIR server: quarterly reviews (one late, one waived by an off-cycle assessment), two
 * annual cycles, a hospital stay with a readmission inside the post-hospital window, a later stay
 * released on Fri 2037-11-20 (Thanksgiving week), notes on time and late, a reassignment, and the
 * program discharge on 2037-12-28 with its Discharge Plan. Also the worked examples that fall in
 * 2037 (2026's calendar): the note for a contact on Fri 07-03 and the post-hospital contact.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { EpisodeEventInput } from '../../domain/episode/events.ts';
import { getState } from '../../workflows/episode/messages.ts';
import { episodeInput, historyLengths, localNoon, recordFixture, send, skipTo, startEpisode, startStack, type Stack, taskRows } from './harness.ts';

/** Continue-as-new after this many events, so three years take several runs; each stays under HISTORY_BOUND. */
const HISTORY_EVENTS_PER_RUN = 200;
const HISTORY_BOUND = 400;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await skipTo(stack.env, localNoon('2035-01-15'));
}, 300_000);
afterAll(async () => stack?.stop());

const doc = (requirement: string, id: string, date: string, cycle?: string): EpisodeEventInput => ({
  type: 'document-completed',
  eventId: `QuestionnaireResponse/${id}/_history/1`,
  requirement: requirement as never,
  questionnaireResponseId: id,
  completedAt: new Date(localNoon(date)).toISOString(),
  ...(cycle ? { cycle } : {}),
});
const contact = (kind: 'face-to-face' | 'collateral' | 'treatment-team', id: string, date: string): EpisodeEventInput => ({
  type: 'contact-recorded',
  eventId: `Encounter/${id}/_history/1`,
  encounterId: id,
  kind,
  date,
});

/** The agency's record as it happens: [local date, event] in order. */
const TIMELINE: [string, EpisodeEventInput][] = [
  ['2035-01-20', doc('CIP-INITIAL', 'cip1', '2035-01-20')],
  ['2035-04-10', doc('QR', 'qr1', '2035-04-10')],
  ['2035-07-10', doc('QR', 'qr2', '2035-07-10')],
  ['2035-10-20', doc('QR', 'qr3', '2035-10-20')], // five days late
  ['2036-01-25', doc('ANNUAL-ASSESSMENT', 'aa1', '2036-01-25')],
  ['2036-01-25', doc('CIP-ANNUAL', 'cipa1', '2036-01-25')],
  ['2036-04-10', doc('QR', 'qr4', '2036-04-10')],
  ['2036-07-08', { type: 'assessment-completed', eventId: 'QuestionnaireResponse/as2/_history/1', date: '2036-07-08', questionnaireResponseId: 'as2' }],
  ['2036-10-01', { type: 'hospital-admission', eventId: 'Encounter/h1/_history/1', encounterId: 'h1', admittedOn: '2036-10-01' }],
  ['2036-10-03', contact('collateral', 'c1', '2036-10-03')],
  ['2036-10-06', doc('NOTE-COLLATERAL', 'n-c1', '2036-10-06', 'c1')],
  ['2036-10-09', { type: 'hospital-release', eventId: 'Encounter/h1/_history/2', encounterId: 'h1', releasedOn: '2036-10-09' }],
  ['2036-10-10', doc('QR', 'qr5', '2036-10-10')],
  ['2036-10-12', { type: 'hospital-admission', eventId: 'Encounter/h2/_history/1', encounterId: 'h2', admittedOn: '2036-10-12' }],
  ['2036-10-15', contact('collateral', 'c2', '2036-10-15')],
  ['2036-10-16', doc('NOTE-COLLATERAL', 'n-c2', '2036-10-16', 'c2')],
  ['2036-10-20', { type: 'hospital-release', eventId: 'Encounter/h2/_history/2', encounterId: 'h2', releasedOn: '2036-10-20' }],
  ['2036-10-22', contact('face-to-face', 'f1', '2036-10-22')],
  ['2036-10-22', contact('face-to-face', 'f1', '2036-10-22')], // delivered twice
  ['2036-10-23', doc('NOTE-INDIVIDUAL', 'n-f1', '2036-10-23', 'f1')],
  ['2037-01-26', doc('ANNUAL-ASSESSMENT', 'aa2', '2037-01-26')],
  ['2037-01-26', doc('CIP-ANNUAL', 'cipa2', '2037-01-26')],
  ['2037-02-01', { type: 'staff-reassigned', eventId: 'CareTeam/ct1/_history/2', role: 'specialist', practitioner: 'Practitioner/specialist-2' }],
  ['2037-04-10', doc('QR', 'qr6', '2037-04-10')],
  ['2037-07-03', contact('face-to-face', 'f2', '2037-07-03')],
  ['2037-07-07', doc('NOTE-INDIVIDUAL', 'n-f2', '2037-07-07', 'f2')], // a day late
  ['2037-07-10', doc('QR', 'qr7', '2037-07-10')],
  ['2037-10-10', doc('QR', 'qr8', '2037-10-10')],
  ['2037-11-10', { type: 'hospital-admission', eventId: 'Encounter/h3/_history/1', encounterId: 'h3', admittedOn: '2037-11-10' }],
  ['2037-11-12', contact('collateral', 'c3', '2037-11-12')],
  ['2037-11-13', doc('NOTE-COLLATERAL', 'n-c3', '2037-11-13', 'c3')],
  ['2037-11-20', { type: 'hospital-release', eventId: 'Encounter/h3/_history/2', encounterId: 'h3', releasedOn: '2037-11-20' }],
  ['2037-12-01', contact('face-to-face', 'f3', '2037-12-01')], // the post-hospital contact, a day late
  ['2037-12-02', doc('NOTE-INDIVIDUAL', 'n-f3', '2037-12-02', 'f3')],
  ['2037-12-22', contact('treatment-team', 't1', '2037-12-22')], // its note never comes
  ['2037-12-28', { type: 'program-discharge', eventId: 'EpisodeOfCare/e3y/_history/9', date: '2037-12-28' }],
  ['2038-01-05', doc('DISCHARGE-PLAN', 'dp1', '2038-01-05')],
];

const met = (due: string, onTime = true) => ({ status: 'completed', businessStatus: onTime ? 'met-on-time' : 'met-late', due });
const cancelled = (due: string, businessStatus: string) => ({ status: 'cancelled', businessStatus, due });
const both = (due: string, row: object) => ({ [`QR/${due}`]: row, [`CIP-REVIEW/${due}`]: row });

const EXPECTED_TASKS: Record<string, object> = {
  'CIP-INITIAL/1': met('2035-01-29'),
  ...both('2035-04-15', met('2035-04-15')),
  ...both('2035-07-15', met('2035-07-15')),
  ...both('2035-10-15', met('2035-10-15', false)),
  'ESCALATION/QR.2035-10-15': met('2035-10-15', false),
  'ESCALATION/CIP-REVIEW.2035-10-15': met('2035-10-15', false),
  'ANNUAL-ASSESSMENT/2036-01-31': met('2036-01-31'),
  'CIP-ANNUAL/2036-01-31': met('2036-01-31'),
  ...both('2036-04-15', met('2036-04-15')),
  ...both('2036-07-15', cancelled('2036-07-15', 'waived')),
  'HOSPITAL-CONTACT/h1.week-1': met('2036-10-08'),
  'HOSPITAL-CONTACT/h1.week-2': cancelled('2036-10-15', 'superseded'),
  'NOTE-COLLATERAL/c1': met('2036-10-06'),
  // Released Thu 10-09; Mon 10-13 is Columbus Day: due Fri 10-17. Readmitted 10-12: superseded.
  'POST-HOSPITAL-CONTACT/h1': cancelled('2036-10-17', 'superseded'),
  ...both('2036-10-15', met('2036-10-15')),
  'HOSPITAL-CONTACT/h2.week-1': met('2036-10-19'),
  'HOSPITAL-CONTACT/h2.week-2': cancelled('2036-10-26', 'superseded'),
  'NOTE-COLLATERAL/c2': met('2036-10-16'),
  'POST-HOSPITAL-CONTACT/h2': met('2036-10-27'),
  'NOTE-INDIVIDUAL/f1': met('2036-10-23'),
  'ANNUAL-ASSESSMENT/2037-01-31': met('2037-01-31'),
  'CIP-ANNUAL/2037-01-31': met('2037-01-31'),
  ...both('2037-04-15', met('2037-04-15')),
  // Fri 07-03 is Independence Day observed: the note is due Mon 07-06.
  'NOTE-INDIVIDUAL/f2': met('2037-07-06', false),
  'ESCALATION/NOTE-INDIVIDUAL.f2': met('2037-07-06', false),
  ...both('2037-07-15', met('2037-07-15')),
  ...both('2037-10-15', met('2037-10-15')),
  'HOSPITAL-CONTACT/h3.week-1': met('2037-11-17'),
  'HOSPITAL-CONTACT/h3.week-2': cancelled('2037-11-24', 'superseded'),
  'NOTE-COLLATERAL/c3': met('2037-11-13'),
  // Released Fri 11-20: Mon 23, Tue 24, Wed 25, (Thu 26 Thanksgiving), Fri 27, Mon 30.
  'POST-HOSPITAL-CONTACT/h3': met('2037-11-30', false),
  'ESCALATION/POST-HOSPITAL-CONTACT.h3': met('2037-11-30', false),
  'NOTE-INDIVIDUAL/f3': met('2037-12-02'),
  'NOTE-TREATMENT-TEAM/t1': cancelled('2037-12-23', 'discharged'),
  'ESCALATION/NOTE-TREATMENT-TEAM.t1': cancelled('2037-12-23', 'discharged'),
  'DISCHARGE-PLAN/discharge': met('2038-01-07'),
};

test('three years: exactly the expected Tasks, due dates, statuses and outcomes; bounded history', { timeout: 600_000 }, async () => {
  const input = { ...episodeInput('e3y', '2035-01-15'), historyEventsPerRun: HISTORY_EVENTS_PER_RUN };
  const handle = await startEpisode(stack, input);
  for (const [date, event] of TIMELINE) {
    await skipTo(stack.env, localNoon(date));
    if (event.type === 'hospital-release' && event.encounterId === 'h3') {
      // The agency variant of the worked example: also closed Fri 11-27, so due Tue 12-01.
      const variant = await startEpisode(stack, episodeInput('e3y-closed-27', '2037-09-01', { holidays: { add: ['2037-11-27'] } }));
      await send(variant, event);
      const state = await variant.query(getState);
      expect(state.requirements['POST-HOSPITAL-CONTACT/h3']?.dueDate, JSON.stringify(Object.keys(state.requirements))).toBe('2037-12-01');
    }
    if (process.env.DEBUG_EPISODE) console.log(date, event.type);
    await send(handle, event);
  }
  if (process.env.DEBUG_EPISODE) console.log('awaiting result', JSON.stringify((await handle.query(getState)).status));
  const result = await handle.result();
  expect(result).toEqual({ episodeOfCare: 'EpisodeOfCare/e3y', closedReason: 'discharge-plan-met', dischargeDate: '2037-12-28' });

  const rows = await taskRows(stack.fhir, 'e3y');
  const statuses = Object.fromEntries(Object.entries(rows).map(([key, { status, businessStatus, due }]) => [key, { status, businessStatus, due }]));
  expect(statuses).toEqual(EXPECTED_TASKS);
  expect(rows['NOTE-INDIVIDUAL/f2']).toMatchObject({ evidence: 'QuestionnaireResponse/n-f2' });
  expect(rows['POST-HOSPITAL-CONTACT/h2']).toMatchObject({ evidence: 'Encounter/f1', owner: 'Practitioner/specialist-1' });
  expect(rows['POST-HOSPITAL-CONTACT/h3']).toMatchObject({ evidence: 'Encounter/f3', owner: 'Practitioner/specialist-2' });
  expect(rows['ESCALATION/POST-HOSPITAL-CONTACT.h3']).toMatchObject({ owner: 'Practitioner/supervisor-1' });

  const lengths = await historyLengths(stack.env, handle.workflowId, handle.firstExecutionRunId);
  console.log(`three-year episode: ${lengths.length} runs, history lengths ${lengths.join(', ')}`);
  expect(lengths.length).toBeGreaterThan(2);
  for (const length of lengths) expect(length).toBeLessThan(HISTORY_BOUND);

  // Every run's history for the replay test, beside those recorded by older code (never replaced).
  if (process.env.RECORD_HISTORIES) {
    for (let runId: string | undefined = handle.firstExecutionRunId, run = 1; runId; run++) {
      const history: Awaited<ReturnType<typeof handle.fetchHistory>> = await stack.env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
      recordFixture('three-year-episode', history, run);
      runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
  }
});
