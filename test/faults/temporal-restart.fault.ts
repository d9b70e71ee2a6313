/**
 * The Temporal dev server restarted on the same SQLite file while work is in flight: episodes with
 * Task writes waiting on their retry timers (the FHIR server is down meanwhile) and the FHIR
 * polling workflow sleeping on its interval timer. After the restart the timers fire (the retried
 * writes land, the poller polls again on its own), every episode is intact, no Task is duplicated.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startDevStack, type DevStack } from '../../bench/stack/dev-stack.ts';
import { faceToFace, inParallel, startEpisode, syntheticEpisode, todayInAgency } from '../../bench/stack/episodes.ts';
import { tallyTasks, waitForTasks } from '../../bench/stack/fhir-tasks.ts';
import type { NodeProcess } from '../../bench/stack/node-process.ts';
import { ensurePolling } from '../../intake/polling.ts';
import { episodeWorkflowId } from '../../domain/episode/input.ts';
import { episodeEvent, getState } from '../../workflows/episode/messages.ts';
import { getPollingState } from '../../workflows/polling/fhir-polling.ts';
import { reportTally } from './report.ts';

const QUEUE = 'faults-temporal-restart';
const EPISODES = 30;
let stack: DevStack;
let worker: NodeProcess;

beforeAll(async () => {
  stack = await startDevStack();
  worker = await stack.startWorker(QUEUE);
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

test(`Temporal restarted on its database: timers fire after it, ${EPISODES} episodes intact, Tasks exactly once`, async () => {
  const today = todayInAgency();
  const ids = Array.from({ length: EPISODES }, (_, index) => `tr-${index}`);
  await inParallel(EPISODES, 16, (index) => startEpisode(stack.client, syntheticEpisode(ids[index]!, today), QUEUE));
  const first = ids.map((id) => `${id}/CIP-INITIAL/1`);
  expect((await waitForTasks(stack.fhir.baseUrl, (tasks) => tallyTasks(tasks, first, 'tr-').found === EPISODES, 180_000)).ok).toBe(true);
  const pollerId = await ensurePolling(stack.client, QUEUE, {
    source: 'restart-test',
    resourceTypes: ['Encounter'],
    intervalMs: 3000,
    episodeDefaults: { supervisor: 'Practitioner/fault-supervisor' },
  });
  const poller = stack.client.workflow.getHandle(pollerId);

  // Writes that cannot succeed now: their activities wait on retry timers in Temporal.
  await stack.fhir.stop();
  await inParallel(EPISODES, 16, (index) => stack.client.workflow.getHandle(episodeWorkflowId(ids[index]!)).signal(episodeEvent, faceToFace(`f-${index}`, today)));
  await new Promise((resolve) => setTimeout(resolve, 5000));
  await stack.restartTemporal();
  await stack.restartFhir();

  const expected = [...first, ...ids.map((id, index) => `${id}/NOTE-INDIVIDUAL/f-${index}`)];
  const { tasks, ok } = await waitForTasks(stack.fhir.baseUrl, (all) => tallyTasks(all, expected, 'tr-').found === expected.length, 300_000, 1000);
  const tally = tallyTasks(tasks, expected, 'tr-');
  reportTally('after the restart', tally);
  expect(ok).toBe(true);
  expect(tally).toMatchObject({ duplicates: [], unexpected: [] });

  const pollsBefore = (await poller.query(getPollingState)).polls;
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const pollsAfter = (await poller.query(getPollingState)).polls;
  console.log(`[faults] poller: ${pollsBefore} polls, ${pollsAfter} ten seconds later (interval 3 s)`);
  expect(pollsAfter - pollsBefore).toBeGreaterThanOrEqual(2);

  for (const id of ids) {
    const handle = stack.client.workflow.getHandle(episodeWorkflowId(id));
    const state = await handle.query(getState);
    expect(state.status).toBe('active');
    expect(Object.keys(state.requirements)).toEqual(expect.arrayContaining(['CIP-INITIAL/1', `NOTE-INDIVIDUAL/f-${id.slice(3)}`]));
    expect((await handle.describe()).status.name).toBe('RUNNING');
  }
  console.log(`[faults] worker process survived the restart: ${worker.isRunning()}`);
  expect(worker.isRunning()).toBe(true);
});
