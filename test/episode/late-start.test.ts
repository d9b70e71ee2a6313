/**
 * An existing client: the episode's workflow starts on 2037-02-10 for an admission on 2036-01-15,
 * as the intake starts it (signal-with-start), with part of the record already in FHIR. What the record shows met opens as met by it; the rest of
 * the current cycle opens overdue and escalated; nothing is silently skipped. Then the episode goes
 * on: a restated specialist changes nothing, and a review completed early meets its review and
 * its crisis plan review when they open.
 */
import { readFileSync } from 'node:fs';
import type { QuestionnaireResponse } from '@medplum/fhirtypes';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { episodeEvent, getState } from '../../workflows/episode/messages.ts';
import type { EpisodeEventInput } from '../../domain/episode/events.ts';
import { episodeStartOptions } from '../../workflows/episode/start-options.ts';
import type { clientEpisode } from '../../workflows/index.ts';
import { startDeadlines } from '../../domain/episode/reconcile.ts';
import { initialState } from '../../domain/episode/state.ts';
import { episodeInputSchema } from '../../domain/episode/input.ts';
import { WORKER_SOURCE } from '../../domain/vocabulary.ts';
import { episodeInput, episodeTasks, localNoon, send, skipTo, startStack, type Stack, TASK_QUEUE, taskRows, taskWrites, recordFixture } from './harness.ts';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await skipTo(stack.env, localNoon('2037-02-10'));
}, 300_000);
afterAll(async () => stack?.stop());

/** A completed response as an EHR saves it, from our package's example of that Questionnaire. */
async function responseInFhir(example: string, fields: Partial<QuestionnaireResponse>, patient = 'Patient/p-late1'): Promise<QuestionnaireResponse> {
  const resource = JSON.parse(
    readFileSync(new URL(`../../fhir-profiles/package/examples/QuestionnaireResponse-example-${example}.json`, import.meta.url), 'utf8'),
  ) as QuestionnaireResponse;
  return stack.fhir.createResource({ ...resource, id: undefined, subject: { reference: patient }, ...fields });
}

const writesOf = async (handle: WorkflowHandle) => taskWrites((await handle.fetchHistory()).events ?? []);

test('a late start finds the crisis plan and the last review in FHIR, opens the annual cycle overdue and escalated', { timeout: 300_000 }, async () => {
  const plan = await responseInFhir('crisis-intervention-plan', { authored: '2036-01-27T10:00:00-06:00' });
  const review = await responseInFhir('quarterly-review', { authored: '2036-10-12T10:00:00-05:00' });
  // Neither counts: an assessment still in progress, and another client's completed one.
  await responseInFhir('annual-assessment', { authored: '2037-01-20T10:00:00-06:00', status: 'in-progress' });
  await responseInFhir('annual-assessment', { authored: '2037-01-20T10:00:00-06:00', subject: { reference: 'Patient/someone-else' } });

  // Started as the intake starts it: signal-with-start with the EpisodeOfCare's restated specialist.
  const input = episodeInput('late1', '2036-01-15');
  const handle = await stack.env.client.workflow.signalWithStart<typeof clientEpisode, [EpisodeEventInput]>('clientEpisode', {
    ...episodeStartOptions(input, TASK_QUEUE),
    signal: episodeEvent,
    signalArgs: [{ type: 'staff-reassigned', eventId: 'EpisodeOfCare/late1/_history/6', role: 'specialist', practitioner: 'Practitioner/specialist-1' }],
  });
  await skipTo(stack.env, localNoon('2037-02-10') + 3_600_000);

  const met = (due: string, evidence: string) => ({ status: 'completed', businessStatus: 'met-on-time', due, owner: 'Practitioner/specialist-1', evidence });
  const overdue = (due: string, owner = 'Practitioner/specialist-1') => ({ status: 'ready', businessStatus: 'overdue', due, owner });
  expect(await taskRows(stack.fhir, 'late1')).toEqual({
    'CIP-INITIAL/1': met('2036-01-29', `QuestionnaireResponse/${plan.id}`),
    'QR/2036-10-15': met('2036-10-15', `QuestionnaireResponse/${review.id}`),
    'CIP-REVIEW/2036-10-15': met('2036-10-15', `QuestionnaireResponse/${review.id}`),
    'ANNUAL-ASSESSMENT/2037-01-31': overdue('2037-01-31'),
    'CIP-ANNUAL/2037-01-31': overdue('2037-01-31'),
    'ESCALATION/ANNUAL-ASSESSMENT.2037-01-31': overdue('2037-01-31', 'Practitioner/supervisor-1'),
    'ESCALATION/CIP-ANNUAL.2037-01-31': overdue('2037-01-31', 'Practitioner/supervisor-1'),
  });
  for (const task of await episodeTasks(stack.fhir, 'late1')) expect(task.meta?.source).toBe(WORKER_SOURCE);

  // Nothing silently skipped: every deadline of the start is a requirement, and the year ahead is scheduled.
  const state = await handle.query(getState);
  const config = episodeInputSchema.parse(input);
  for (const deadline of startDeadlines(initialState(config), localNoon('2037-02-10'))) {
    expect(Object.keys(state.requirements)).toContain(`${deadline.code}/${deadline.cycle}`);
  }
  expect(state.requirements['QR/2037-04-15']?.stage).toBe('scheduled');

  // The intake restates the specialist with every EpisodeOfCare version: no Task is re-written for it.
  const before = await writesOf(handle);
  await send(handle, { type: 'staff-reassigned', eventId: 'EpisodeOfCare/late1/_history/7', role: 'specialist', practitioner: 'Practitioner/specialist-1' });
  await skipTo(stack.env, localNoon('2037-02-11'));
  expect(await writesOf(handle)).toBe(before);

  // A review completed early for its cycle waits for it, then meets it and its crisis plan review.
  await skipTo(stack.env, localNoon('2037-02-20'));
  await send(handle, {
    type: 'document-completed',
    eventId: 'QuestionnaireResponse/qr-early/_history/1',
    requirement: 'QR',
    cycle: '2037-04-15',
    questionnaireResponseId: 'qr-early',
    completedAt: '2037-02-20T10:00:00-06:00',
  });
  await skipTo(stack.env, localNoon('2037-03-17'));
  const rows = await taskRows(stack.fhir, 'late1');
  expect(rows['QR/2037-04-15']).toEqual(met('2037-04-15', 'QuestionnaireResponse/qr-early'));
  expect(rows['CIP-REVIEW/2037-04-15']).toEqual(met('2037-04-15', 'QuestionnaireResponse/qr-early'));

  // A history with this code's patch markers, for the replay test; recorded once, never replaced.
  recordFixture('late-start-signal-with-start', await handle.fetchHistory());
});

test('an episode the intake starts with its discharge looks only for its Discharge Plan, finds it and ends', { timeout: 120_000 }, async () => {
  const plan = await responseInFhir('discharge-plan', { authored: '2037-02-05T10:00:00-06:00' }, 'Patient/p-gone1');
  const discharge: EpisodeEventInput = { type: 'program-discharge', eventId: 'EpisodeOfCare/gone1/_history/12', date: '2037-02-01' };
  const handle = await stack.env.client.workflow.signalWithStart<typeof clientEpisode, [EpisodeEventInput]>('clientEpisode', {
    ...episodeStartOptions(episodeInput('gone1', '2036-03-02'), TASK_QUEUE),
    signal: episodeEvent,
    signalArgs: [discharge],
  });
  expect(await handle.result()).toEqual({ episodeOfCare: 'EpisodeOfCare/gone1', closedReason: 'discharge-plan-met', dischargeDate: '2037-02-01' });
  expect(await taskRows(stack.fhir, 'gone1')).toEqual({
    'DISCHARGE-PLAN/discharge': {
      status: 'completed',
      businessStatus: 'met-on-time',
      due: '2037-02-11',
      owner: 'Practitioner/specialist-1',
      evidence: `QuestionnaireResponse/${plan.id}`,
    },
  });
});
