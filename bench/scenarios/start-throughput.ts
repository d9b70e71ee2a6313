/**
 * Episode start throughput against its floor: the same number of no-op workflows started with the
 * same client on the same server. Two figures each: accepted (every start call answered) and settled
 * (for episodes: every CIP-INITIAL Task written, per the worker's activity counter; for no-ops:
 * every first workflow task completed, per the no-op worker's counter).
 */
import { figure, type Figure } from '../figures.ts';
import type { DevStack } from '../stack/dev-stack.ts';
import { inParallel, startEpisode, syntheticEpisode, todayInAgency } from '../stack/episodes.ts';
import { noopWorkflowTasks, tasksWritten, waitUntil } from '../stack/metrics.ts';

export const CONCURRENCY = 64;

export interface StartContext {
  stack: DevStack;
  careQueue: string;
  careMetrics: string;
  noopQueue: string;
  noopMetrics: string;
}

interface Timing {
  acceptedMs: number;
  settledMs: number;
}

async function timeStarts(count: number, start: (index: number) => Promise<unknown>, settled: () => Promise<boolean>): Promise<Timing> {
  const begun = performance.now();
  await inParallel(count, CONCURRENCY, start);
  const acceptedMs = performance.now() - begun;
  await waitUntil('settled', settled, 30 * 60_000, 250);
  return { acceptedMs, settledMs: performance.now() - begun };
}

export async function startNoops(context: StartContext, prefix: string, count: number): Promise<Timing> {
  const counter = () => noopWorkflowTasks(context.noopMetrics);
  const before = await counter();
  return timeStarts(
    count,
    (index) => context.stack.client.workflow.start('noop', { taskQueue: context.noopQueue, workflowId: `${prefix}-${index}` }),
    async () => (await counter()) >= before + count,
  );
}

/** Episodes `<prefix>-<i>` admitted today: each writes exactly one Task (CIP-INITIAL). */
export async function startEpisodes(context: StartContext, prefix: string, count: number): Promise<Timing> {
  const counter = () => tasksWritten(context.careMetrics);
  const before = await counter();
  const admissionDate = todayInAgency();
  return timeStarts(
    count,
    (index) => startEpisode(context.stack.client, syntheticEpisode(`${prefix}-${index}`, admissionDate), context.careQueue),
    async () => (await counter()) >= before + count,
  );
}

export async function measureStartThroughput(context: StartContext, count: number, prefix: string): Promise<Figure[]> {
  const floor = await startNoops(context, `noop-${prefix}`, count);
  const episodes = await startEpisodes(context, prefix, count);
  const perSecond = (ms: number) => count / (ms / 1000);
  const accepted = figure(`episode starts accepted, ${count}`, perSecond(episodes.acceptedMs), 'starts/s', {
    floor: perSecond(floor.acceptedMs),
    target: 'ratio >= 0.5',
  });
  const settled = figure(`episode starts settled (Task written), ${count}`, perSecond(episodes.settledMs), 'episodes/s', {
    floor: perSecond(floor.settledMs),
    target: 'ratio >= 0.5',
    note: 'floor: no-op first workflow task completed',
  });
  for (const f of [accepted, settled]) f.met = (f.ratio ?? 0) >= 0.5;
  return [accepted, settled];
}
