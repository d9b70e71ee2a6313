/**
 * The FHIR server down for 60 s while timers come due (time-skipping server, clock moved to the
 * instant every episode's CIP-INITIAL turns due soon): the writes fail, the episodes record it and
 * retry on their backoff; once the server is back every Task shows due soon, none duplicated.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { inParallel, startEpisode, syntheticEpisode } from '../../bench/stack/episodes.ts';
import { tallyTasks, waitForTasks } from '../../bench/stack/fhir-tasks.ts';
import type { NodeProcess } from '../../bench/stack/node-process.ts';
import { startTimeSkippingStack, type TimeSkippingStack } from '../../bench/stack/time-skipping-stack.ts';
import { episodeWorkflowId } from '../../domain/episode/input.ts';
import { getState } from '../../workflows/episode/messages.ts';
import { localDateOf } from '../../domain/rules/index.ts';
import { reportTally } from './report.ts';

const QUEUE = 'faults-fhir-down';
const EPISODES = 50;
let stack: TimeSkippingStack;
let worker: NodeProcess;

beforeAll(async () => {
  stack = await startTimeSkippingStack();
  worker = await stack.startWorker(QUEUE);
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

test(`FHIR down 60 s while ${EPISODES} due-soon timers fire: all Tasks updated after it returns, none duplicated`, async () => {
  const admission = localDateOf(await stack.now(), 'America/Chicago');
  await inParallel(EPISODES, 16, (index) => startEpisode(stack.client, syntheticEpisode(`fd-${index}`, admission), QUEUE));
  const expected = Array.from({ length: EPISODES }, (_, index) => `fd-${index}/CIP-INITIAL/1`);
  const opened = await waitForTasks(stack.fhir.baseUrl, (tasks) => tallyTasks(tasks, expected, 'fd-').found === EPISODES, 180_000);
  expect(opened.ok).toBe(true);
  const dueSoonAt = (await stack.client.workflow.getHandle(episodeWorkflowId('fd-0')).query(getState)).requirements['CIP-INITIAL/1']!.dueSoonAt;

  await stack.stopFhir();
  await stack.skipTo(dueSoonAt + 1000);
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  // The writes were tried and failed while it was down: after five quick attempts the episode
  // holds the failure itself and tries again on its own backoff, every other timer still running.
  const handle = stack.client.workflow.getHandle(episodeWorkflowId('fd-0'));
  const failure = (await handle.query(getState)).requirements['CIP-INITIAL/1']!.writeFailure;
  const pending = (await handle.describe()).raw.pendingActivities ?? [];
  console.log(`[faults] during the outage: fd-0 write failure ${JSON.stringify(failure)}; activity attempts now ${pending.map((activity) => activity.attempt).join(',') || 'none'}`);
  expect(failure).toMatchObject({ status: 0 });
  expect((await handle.describe()).status.name).toBe('RUNNING');
  await stack.restartFhir();

  const { tasks, ok } = await waitForTasks(
    stack.fhir.baseUrl,
    (all) => all.filter((task) => task.identifier.startsWith('fd-') && task.businessStatus === 'due-soon').length === EPISODES,
    300_000,
    1000,
  );
  const tally = tallyTasks(tasks, expected, 'fd-');
  reportTally(`after the outage (${tasks.filter((task) => task.businessStatus === 'due-soon').length} due soon)`, tally);
  expect(ok).toBe(true);
  expect(tally).toMatchObject({ found: EPISODES, duplicates: [], unexpected: [] });
  expect(worker.isRunning()).toBe(true);
});
