/**
 * The production shape on one machine: the Temporal CLI dev server on a SQLite file, the embedded
 * FHIR server as a process, the care worker as a process, and a client with the project's data
 * converter. Every part can be stopped and started again on the same state.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../platform/free-port.ts';
import { startTemporalDevServer, type RunningDevServer } from '../../local-stack/dev-server.ts';
import { startFhirProcess, startWorkerProcess, type FhirProcess, type WorkerProcessOptions } from './care-processes.ts';
import { newRunCodec, type RunCodec } from './codec.ts';
import type { NodeProcess } from './node-process.ts';

export interface DevStack {
  dataDir: string;
  dbFile: string;
  codec: RunCodec;
  temporalAddress: string;
  temporal: RunningDevServer;
  fhir: FhirProcess;
  client: Client;
  /** Starts `worker/main.ts` on `taskQueue` against this stack. */
  startWorker(taskQueue: string, extra?: Partial<WorkerProcessOptions>): Promise<NodeProcess>;
  restartTemporal(): Promise<void>;
  restartFhir(): Promise<void>;
  /** SQLite file + WAL + shared memory, in bytes. */
  temporalDbBytes(): number;
  stop(): Promise<void>;
}

export async function startDevStack(options: { dataDir?: string } = {}): Promise<DevStack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'care-bench-'));
  const dbFile = join(dataDir, 'temporal', 'temporal.sqlite');
  const port = await freePort();
  const startTemporal = () => startTemporalDevServer({ ui: false, port, dbFile });
  const stack: DevStack = {
    dataDir,
    dbFile,
    codec: newRunCodec(),
    temporalAddress: `127.0.0.1:${port}`,
    temporal: await startTemporal(),
    fhir: await startFhirProcess({ dataDir: join(dataDir, 'fhir') }),
    client: undefined as unknown as Client,
    startWorker: (taskQueue, extra = {}) =>
      startWorkerProcess({ temporalAddress: stack.temporalAddress, fhirBaseUrl: stack.fhir.baseUrl, taskQueue, codecKeys: stack.codec.codecKeys, ...extra }),
    async restartTemporal() {
      await stack.temporal.stop();
      stack.temporal = await startTemporal();
    },
    async restartFhir() {
      await stack.fhir.stop();
      stack.fhir = await startFhirProcess({ dataDir: join(dataDir, 'fhir'), port: stack.fhir.port });
    },
    temporalDbBytes: () => ['', '-wal', '-shm'].reduce((sum, suffix) => sum + (existsSync(dbFile + suffix) ? statSync(dbFile + suffix).size : 0), 0),
    async stop() {
      await stack.client.connection.close();
      await stack.fhir.stop();
      await stack.temporal.stop();
    },
  };
  const connection = await Connection.connect({ address: stack.temporalAddress });
  stack.client = new Client({ connection, namespace: stack.temporal.namespace, dataConverter: stack.codec.dataConverter });
  return stack;
}
