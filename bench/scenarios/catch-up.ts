/**
 * Catch-up: episodes whose CIP-INITIAL Task is open, the worker stopped, the clock moved past the
 * due date (each episode's due-soon and overdue timers fire with nobody to run them), then the
 * worker started: the time until every Task is written (CIP-INITIAL overdue and its escalation).
 * Floor: the same worker writing the first Tasks of as many new episodes.
 */
import { figure, type Figure } from '../figures.ts';
import { listTasks } from '../stack/fhir-tasks.ts';
import { inParallel, startEpisode, syntheticEpisode } from '../stack/episodes.ts';
import { waitUntil } from '../stack/metrics.ts';
import type { TimeSkippingStack } from '../stack/time-skipping-stack.ts';
import { localDateOf } from '../../workflows/rules/index.ts';

const DAY_MS = 86_400_000;

async function countTasks(stack: TimeSkippingStack, prefix: string, accept: (identifier: string, businessStatus?: string) => boolean): Promise<number> {
  return (await listTasks(stack.fhir.baseUrl)).filter((task) => task.identifier.startsWith(prefix) && accept(task.identifier, task.businessStatus)).length;
}

export async function measureCatchUp(stack: TimeSkippingStack, taskQueue: string, count: number): Promise<Figure[]> {
  let worker = await stack.startWorker(taskQueue);
  const admission = localDateOf(await stack.now(), 'America/Chicago');
  const started = performance.now();
  await inParallel(count, 32, (index) => startEpisode(stack.client, syntheticEpisode(`cu-${index}`, admission), taskQueue));
  await waitUntil('first Tasks', async () => (await countTasks(stack, 'cu-', (id) => id.includes('/CIP-INITIAL/'))) >= count, 30 * 60_000, 500);
  const floorMs = performance.now() - started;

  await worker.stop();
  await stack.skipTo((await stack.now()) + 16 * DAY_MS);
  worker = await stack.startWorker(taskQueue);
  const resumed = performance.now();
  await waitUntil(
    'caught up',
    async () =>
      (await countTasks(stack, 'cu-', (id, status) => id.includes('/CIP-INITIAL/') && status === 'overdue')) >= count &&
      (await countTasks(stack, 'cu-', (id) => id.includes('/ESCALATION/'))) >= count,
    60 * 60_000,
    500,
  );
  const catchUpMs = performance.now() - resumed;
  await worker.stop();
  return [
    figure(`catch-up: ${count} episodes' due timers fired while the worker was down → all Tasks written`, catchUpMs / 1000, 's', {
      floor: floorMs / 1000,
      note: 'floor: the same worker writing the first Task of as many new episodes',
    }),
  ];
}
