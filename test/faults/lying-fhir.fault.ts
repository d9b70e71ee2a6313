/**
 * FHIR answers that are not what they claim (200 with JSON that is no FHIR resource, or HTML under a
 * FHIR content type), from a tiny endpoint in front of the real server: the Task write fails with
 * an error that says what was wrong, the worker process stays up, and once the endpoint answers
 * honestly the Task is written exactly once.
 */
import { decodeOptionalFailureToOptionalError, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startDevStack, type DevStack } from '../../bench/stack/dev-stack.ts';
import { startEpisode, syntheticEpisode, todayInAgency } from '../../bench/stack/episodes.ts';
import { listTasks, tallyTasks, waitForTasks } from '../../bench/stack/fhir-tasks.ts';
import type { NodeProcess } from '../../bench/stack/node-process.ts';
import { startLyingFhir, type LyingFhir } from './lying-fhir.ts';
import { reportTally } from './report.ts';

const QUEUE = 'faults-lying-fhir';
let stack: DevStack;
let lying: LyingFhir;
let worker: NodeProcess;

beforeAll(async () => {
  stack = await startDevStack();
  lying = await startLyingFhir(stack.fhir.baseUrl);
  worker = await stack.startWorker(QUEUE, { fhirBaseUrl: lying.baseUrl });
});
afterAll(async () => {
  await worker?.stop();
  await lying?.stop();
  await stack?.stop();
});

const CASES = [
  ['non-fhir', 'all'],
  ['non-fhir', 'writes'],
  ['html', 'all'],
] as const;

for (const [mode, lieTo] of CASES) {
  test(`FHIR answers that are not FHIR (${mode}, to ${lieTo}): the activity fails with a clear error, the worker stays up, and the Task is written once the endpoint is honest`, async () => {
    const id = `fault-lie-${mode}-${lieTo}`;
    lying.mode = mode;
    lying.lieTo = lieTo;
    const liesBefore = lying.lies;
    let failure = '';
    try {
      const handle = await startEpisode(stack.client, syntheticEpisode(id, todayInAgency()), QUEUE);
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const pending = (await handle.describe()).raw.pendingActivities ?? [];
        // Failure messages are encrypted like payloads: decoded as the Web UI shows them.
        const lastFailure = pending.find((activity) => (activity.attempt ?? 0) >= 2)?.lastFailure;
        failure = (await decodeOptionalFailureToOptionalError(loadDataConverter(stack.codec.dataConverter), lastFailure))?.message ?? '';
        if (failure) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      console.log(`[faults] ${mode} to ${lieTo}: lies told ${lying.lies - liesBefore}; activity's last failure: ${failure}`);
      expect(lying.lies).toBeGreaterThan(liesBefore);
      expect(worker.isRunning()).toBe(true);
    } finally {
      lying.mode = 'proxy';
    }
    const expected = [`${id}/CIP-INITIAL/1`];
    const { tasks } = await waitForTasks(stack.fhir.baseUrl, (all) => tallyTasks(all, expected, `${id}/`).found === 1, 120_000);
    const tally = tallyTasks(tasks, expected, `${id}/`);
    reportTally(`${mode} answers to ${lieTo}, then honest ones`, tally);
    expect(tally).toMatchObject({ found: 1, duplicates: [], unexpected: [] });
    expect((await listTasks(stack.fhir.baseUrl)).filter((task) => task.identifier.startsWith(`${id}/`))).toHaveLength(1);
    // The operator must learn what was wrong: the request, and that the answer was not a Task.
    expect(failure).toMatch(/Task|FHIR|resource|JSON/i);
  }, 240_000);
}
