/** What open, idle episodes cost: the worker's resident memory and Temporal's SQLite file (+ WAL, shm). */
import { figure, type Figure } from '../figures.ts';
import type { DevStack } from '../stack/dev-stack.ts';
import type { NodeProcess } from '../stack/node-process.ts';

const MiB = 1024 * 1024;

export async function measureIdleCost(stack: DevStack, worker: NodeProcess, openEpisodes: number, dbBytesBefore: number): Promise<Figure[]> {
  await new Promise((resolve) => setTimeout(resolve, 10_000)); // let the worker's cache and the WAL settle
  const rss = worker.rssBytes();
  const db = stack.temporalDbBytes();
  return [
    figure(`worker RSS, ${openEpisodes} open episodes`, rss / MiB, 'MiB', { target: '< 1024 MiB', met: rss < 1024 * MiB }),
    figure(`Temporal SQLite + WAL, ${openEpisodes} open episodes`, db / MiB, 'MiB', { note: `${(dbBytesBefore / MiB).toFixed(1)} MiB before the episodes` }),
    figure('Temporal SQLite per open episode', (db - dbBytesBefore) / openEpisodes / 1024, 'KiB'),
  ];
}
