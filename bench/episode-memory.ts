/**
 * `node --expose-gc bench/episode-memory.ts [N]`: the heap one cached episode holds in the worker.
 * The worker runs in this process in debug mode (workflow code on the main thread, so the
 * process's heap is the workflows' heap), its cache larger than N. After a warm-up, N episodes are
 * started and their CIP-INITIAL Tasks written; the heap after a full GC, minus the heap before,
 * over N. The FHIR server runs as its own process so its Tasks do not count.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import { startTemporalDevServer } from '../local-stack/dev-server.ts';
import { createFhirClient } from '../platform/fhir-client.ts';
import { DEFAULT_WORKER_TUNING } from '../platform/config.ts';
import { bundleCareWorkflowsApart, pinWorkerTimeZone, workerSizing } from '../worker/worker.ts';
import { startFhirProcess } from './stack/care-processes.ts';
import { inParallel, startEpisode, syntheticEpisode, todayInAgency } from './stack/episodes.ts';
import { waitUntil } from './stack/metrics.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const count = Number(process.argv[2] ?? 300);
const WARM_UP = 20;
const TASK_QUEUE = 'episode-memory';

Runtime.install({ logger: new DefaultLogger('WARN') });
const temporal = await startTemporalDevServer({ ui: false });
const fhirServer = await startFhirProcess({ dataDir: mkdtempSync(join(tmpdir(), 'episode-memory-fhir-')) });
const connection = await NativeConnection.connect({ address: temporal.address });
const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
// The care worker's options, in debug mode: workflow code on this thread instead of worker threads.
pinWorkerTimeZone();
const worker = await Worker.create({
  connection,
  namespace: temporal.namespace,
  taskQueue: TASK_QUEUE,
  workflowBundle: await bundleCareWorkflowsApart(),
  activities: createActivities({ fhir: createFhirClient({ baseUrl: fhirServer.baseUrl, auth: { kind: 'none' } }) }),
  ...workerSizing({ ...DEFAULT_WORKER_TUNING, cachedWorkflows: count + WARM_UP + 10 }),
  debugMode: true,
});
const running = worker.run();

async function tasksInFhir(): Promise<number> {
  const bundle = (await (await fetch(`${fhirServer.baseUrl}/Task?_count=1`)).json()) as { total?: number };
  return bundle.total ?? 0;
}

async function startAndSettle(prefix: string, n: number): Promise<void> {
  const before = await tasksInFhir();
  const admissionDate = todayInAgency();
  await inParallel(n, 32, (index) => startEpisode(client, syntheticEpisode(`${prefix}-${index}`, admissionDate), TASK_QUEUE));
  await waitUntil(`${n} Tasks written`, async () => (await tasksInFhir()) >= before + n, 20 * 60_000, 250);
  await new Promise((resolve) => setTimeout(resolve, 3000)); // the last workflow tasks after the writes
}

function settledHeap(): number {
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage().heapUsed;
}

try {
  await startAndSettle('warm', WARM_UP);
  const before = settledHeap();
  await startAndSettle('measured', count);
  const after = settledHeap();
  const cached = worker.getStatus().numCachedWorkflows;
  console.log(
    JSON.stringify({
      episodes: count,
      cachedWorkflows: cached,
      heapBeforeMiB: +(before / 2 ** 20).toFixed(1),
      heapAfterMiB: +(after / 2 ** 20).toFixed(1),
      heapPerCachedEpisodeKiB: +((after - before) / count / 1024).toFixed(1),
    }),
  );
} finally {
  worker.shutdown();
  await running;
  await connection.close();
  await fhirServer.stop();
  await temporal.stop();
}
