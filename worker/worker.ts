/**
 * The care-episode worker: our workflows and FHIR activities on one task queue.
 * `main.ts` runs it as a process; integration tests run the very same worker in-process.
 */
import type { MedplumClient } from '@medplum/core';
import type { DataConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';

export const WORKFLOWS_PATH = new URL('../workflows/index.ts', import.meta.url).pathname;

export interface CareWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  fhir: MedplumClient;
  /** The project's converter (data-converter.ts): payloads encrypted at rest. Every process outside tests passes it. */
  dataConverter?: DataConverter;
  /** Tests pass the bundle once built, so that many workers start fast. */
  workflowBundle?: { code: string };
}

export function createCareWorker(options: CareWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({ fhir: options.fhir }),
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
  });
}
