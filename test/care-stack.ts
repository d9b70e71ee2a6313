/**
 * Test support: the Temporal CLI dev server, a FHIR server and the real care worker on one task
 * queue, as `npm start` wires them, on free ports and throw-away folders; `stop` ends them in reverse.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { startTemporalDevServer, type RunningDevServer } from '../local-stack/dev-server.ts';
import { createFhirClient } from '../platform/fhir-client.ts';
import { createCareWorker } from '../worker/worker.ts';

export interface CareStack {
  temporal: RunningDevServer;
  fhirBaseUrl: string;
  client: Client;
  stop(): Promise<void>;
}

export interface CareStackOptions {
  taskQueue: string;
  startFhir(dataDir: string): Promise<{ baseUrl: string; stop(): Promise<void> }>;
  /** What the FHIR server must hold before the worker starts. */
  prepare?(fhirBaseUrl: string): Promise<void>;
}

export async function startCareStack({ taskQueue, startFhir, prepare }: CareStackOptions): Promise<CareStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'care-stack-'));
  const temporal = await startTemporalDevServer({ ui: false, dbFile: join(dataDir, 'temporal.sqlite') });
  const fhirServer = await startFhir(join(dataDir, 'fhir'));
  await prepare?.(fhirServer.baseUrl);
  const workerConnection = await NativeConnection.connect({ address: temporal.address });
  const worker = await createCareWorker({ connection: workerConnection, namespace: temporal.namespace, taskQueue, fhir: createFhirClient({ baseUrl: fhirServer.baseUrl, auth: { kind: 'none' } }) });
  const workerRun = worker.run();
  const client = new Client({ connection: await Connection.connect({ address: temporal.address }), namespace: temporal.namespace });
  return {
    temporal,
    fhirBaseUrl: fhirServer.baseUrl,
    client,
    async stop() {
      worker.shutdown();
      await workerRun;
      await workerConnection.close();
      await client.connection.close();
      await fhirServer.stop();
      await temporal.stop();
    },
  };
}
