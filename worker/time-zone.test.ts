/**
 * Every care worker runs in UTC, whatever the zone of the process that makes it (see
 * `pinWorkerTimeZone`): histories recorded in one zone replay in any other worker.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFhirServer, type RunningFhirServer } from '../fhir-server/server.ts';
import { startTemporalDevServer, type RunningDevServer } from '../local-stack/dev-server.ts';
import { createFhirClient } from '../platform/fhir-client.ts';
import { bundleCareWorkflows, createCareWorker } from './worker.ts';

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
/** 2026-01-15, when Chicago is 6 hours behind UTC. */
const JANUARY = Date.UTC(2026, 0, 15);

let temporalServer: RunningDevServer;
let fhirServer: RunningFhirServer;
let connection: NativeConnection;

beforeAll(async () => {
  temporalServer = await startTemporalDevServer({ ui: false });
  fhirServer = await startFhirServer({ dataDir: mkdtempSync(join(tmpdir(), 'time-zone-')) });
  connection = await NativeConnection.connect({ address: temporalServer.address });
}, 180_000);

afterAll(async () => {
  await connection?.close();
  await fhirServer?.stop();
  await temporalServer?.stop();
});

test('a care worker made in a process in another zone runs in UTC', async () => {
  const workflowBundle = await bundleCareWorkflows(quietLogger);
  process.env.TZ = 'America/Chicago';
  expect(new Date(JANUARY).getTimezoneOffset()).toBe(360);

  const worker = await createCareWorker({
    connection,
    namespace: temporalServer.namespace,
    taskQueue: 'time-zone-test',
    fhir: createFhirClient({ baseUrl: fhirServer.baseUrl, auth: { kind: 'none' } }),
    workflowBundle,
  });
  const run = worker.run();
  worker.shutdown();
  await run;

  expect(process.env.TZ).toBe('UTC');
  expect(new Date(JANUARY).getTimezoneOffset()).toBe(0);
});
