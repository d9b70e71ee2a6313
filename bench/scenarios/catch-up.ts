/**
 * Catch-up: the worker stopped while open episodes are woken, then started: the time until every
 * Task the wake-ups call for is written. Each of `count` open episodes gets a face-to-face contact
 * (a signal, as the intake delivers it) while no worker runs, so `count` workflow tasks pile up as
 * they would when timers come due; each calls for one new Task (NOTE-INDIVIDUAL).
 * Floor: the no-op worker stopped while as many open no-op workflows are poked, then started.
 *
 * Why signals and not the episodes' own timers: those fall at local midnights of the agency's zone
 * (up to a day away on the dev server), and the time-skipping test server never hands a stopped
 * worker's sticky workflow tasks to its successor (a fired timer's task stays unstarted).
 */
import { figure, type Figure } from '../figures.ts';
import type { NodeProcess } from '../stack/node-process.ts';
import { faceToFace, inParallel, todayInAgency } from '../stack/episodes.ts';
import { noopWorkflowTasks, tasksWritten, waitUntil } from '../stack/metrics.ts';
import type { StartContext } from './start-throughput.ts';
import { episodeEvent } from '../../workflows/episode/messages.ts';
import { episodeWorkflowId } from '../../domain/episode/input.ts';
import { poke } from '../workflows/noop.ts';

export interface CatchUpContext extends StartContext {
  /** Stops the worker process and starts it again with the same metrics port once `whileDown` is done. */
  restartCareWorker(whileDown: () => Promise<void>): Promise<NodeProcess>;
  restartNoopWorker(whileDown: () => Promise<void>): Promise<NodeProcess>;
}

/** Stops the worker, wakes the workflows, starts the worker: ms until its counter (zero in the new process) reaches `count`. */
async function drainTime(
  counter: () => Promise<number>,
  count: number,
  restart: (whileDown: () => Promise<void>) => Promise<NodeProcess>,
  wake: () => Promise<void>,
): Promise<number> {
  await restart(wake);
  const begun = performance.now();
  await waitUntil('caught up', async () => (await counter().catch(() => 0)) >= count, 60 * 60_000, 250);
  return performance.now() - begun;
}

export async function measureCatchUp(context: CatchUpContext, episodeIds: readonly string[], noopIds: readonly string[]): Promise<Figure[]> {
  const { client } = context.stack;
  const count = Math.min(episodeIds.length, noopIds.length);
  const today = todayInAgency();
  const floorMs = await drainTime(() => noopWorkflowTasks(context.noopMetrics), count, context.restartNoopWorker, () =>
    inParallel(count, 32, (index) => client.workflow.getHandle(noopIds[index]!).signal(poke)),
  );
  const episodesMs = await drainTime(() => tasksWritten(context.careMetrics), count, context.restartCareWorker, () =>
    inParallel(count, 32, (index) => client.workflow.getHandle(episodeWorkflowId(episodeIds[index]!)).signal(episodeEvent, faceToFace(`cu-${index}`, today))),
  );
  return [
    figure(`catch-up: ${count} episodes woken while the worker was down → all Tasks written`, episodesMs / 1000, 's', {
      floor: floorMs / 1000,
      note: 'floor: as many no-op workflows woken while the no-op worker was down → all workflow tasks done',
    }),
  ];
}
