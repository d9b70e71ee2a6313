/**
 * Temporal's time-skipping test server (for clocks that must cross days and years), with the FHIR
 * server and the care worker as processes, as in `dev-stack.ts`. Time skipping is locked: the clock
 * runs in real time except when `skipTo` moves it forward.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnvironment } from '../../local-stack/time-skipping.ts';
import { CARE_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.ts';
import { startFhirProcess, startWorkerProcess, type FhirProcess } from './care-processes.ts';
import { newRunCodec, type RunCodec } from './codec.ts';
import type { NodeProcess } from './node-process.ts';

export interface TimeSkippingStack {
  env: TestWorkflowEnvironment;
  codec: RunCodec;
  fhir: FhirProcess;
  client: Client;
  startWorker(taskQueue: string, metricsPort?: number): Promise<NodeProcess>;
  restartFhir(): Promise<void>;
  stopFhir(): Promise<void>;
  now(): Promise<number>;
  /** Moves the server's clock forward to `instant` (never back). */
  skipTo(instant: number): Promise<void>;
  stop(): Promise<void>;
}

/** Temporal's IndexedValueType numbers. */
const INDEXED_VALUE_TYPE: Record<string, number> = { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 };

export async function startTimeSkippingStack(): Promise<TimeSkippingStack> {
  const env = await createTimeSkippingEnvironment();
  await env.connection.testService?.lockTimeSkipping({});
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(CARE_SEARCH_ATTRIBUTES.map((key) => [key.name, INDEXED_VALUE_TYPE[key.type] ?? 0])),
  });
  const fhirDir = join(mkdtempSync(join(tmpdir(), 'care-ts-')), 'fhir');
  const codec = newRunCodec();
  const connection = await Connection.connect({ address: env.address });
  const stack: TimeSkippingStack = {
    env,
    codec,
    fhir: await startFhirProcess({ dataDir: fhirDir }),
    client: new Client({ connection, namespace: 'default', dataConverter: codec.dataConverter }),
    startWorker: (taskQueue, metricsPort) =>
      startWorkerProcess({ temporalAddress: env.address, fhirBaseUrl: stack.fhir.baseUrl, taskQueue, codecKeys: codec.codecKeys, metricsPort }),
    async stopFhir() {
      await stack.fhir.stop();
    },
    async restartFhir() {
      await stack.fhir.stop();
      stack.fhir = await startFhirProcess({ dataDir: fhirDir, port: stack.fhir.port });
    },
    now: () => env.currentTimeMs(),
    async skipTo(instant) {
      const now = await env.currentTimeMs();
      if (instant > now) await env.sleep(instant - now);
    },
    async stop() {
      await connection.close();
      await stack.fhir.stop();
      await env.teardown();
    },
  };
  return stack;
}
