/**
 * The worker process (`worker/main.ts`) SIGKILLed in the middle of a burst: episodes started with a
 * contact (signal-with-start, as the intake does) while it writes their Tasks. After a restart every
 * expected Task exists exactly once.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startDevStack, type DevStack } from '../../bench/stack/dev-stack.ts';
import { faceToFace, inParallel, syntheticEpisode, todayInAgency } from '../../bench/stack/episodes.ts';
import { listTasks, tallyTasks, waitForTasks } from '../../bench/stack/fhir-tasks.ts';
import type { NodeProcess } from '../../bench/stack/node-process.ts';
import { episodeEvent } from '../../workflows/episode/messages.ts';
import { episodeStartOptions } from '../../workflows/episode/start-options.ts';
import { reportTally } from './report.ts';

const QUEUE = 'faults-sigkill';
const EPISODES = 150;
let stack: DevStack;
let worker: NodeProcess | undefined;

beforeAll(async () => {
  stack = await startDevStack();
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

test(`SIGKILL of the worker mid-burst (${EPISODES} episodes × 2 Tasks): after restart every Task exists exactly once`, async () => {
  worker = await stack.startWorker(QUEUE);
  const today = todayInAgency();
  const expected = Array.from({ length: EPISODES }, (_, index) => [`sk-${index}/CIP-INITIAL/1`, `sk-${index}/NOTE-INDIVIDUAL/f-${index}`]).flat();
  const burst = inParallel(EPISODES, 16, (index) =>
    stack.client.workflow.signalWithStart('clientEpisode', {
      ...episodeStartOptions(syntheticEpisode(`sk-${index}`, today), QUEUE),
      signal: episodeEvent,
      signalArgs: [faceToFace(`f-${index}`, today)],
    }),
  );
  // Kill once some Tasks are written and most are not.
  const partial = await waitForTasks(stack.fhir.baseUrl, (tasks) => tallyTasks(tasks, expected, 'sk-').found >= 20, 180_000, 100);
  expect(partial.ok).toBe(true);
  await worker.kill();
  const atKill = tallyTasks(await listTasks(stack.fhir.baseUrl), expected, 'sk-');
  reportTally('at SIGKILL', atKill);
  expect(atKill.found).toBeLessThan(expected.length);
  await burst; // the starts go to Temporal, not to the worker

  worker = await stack.startWorker(QUEUE);
  const { tasks, ok } = await waitForTasks(stack.fhir.baseUrl, (all) => tallyTasks(all, expected, 'sk-').found === expected.length, 600_000, 1000);
  await new Promise((resolve) => setTimeout(resolve, 5000)); // anything late would show now
  const tally = tallyTasks(ok ? await listTasks(stack.fhir.baseUrl) : tasks, expected, 'sk-');
  reportTally('after restart', tally);
  expect(tally).toMatchObject({ found: expected.length, duplicates: [], unexpected: [] });
});
