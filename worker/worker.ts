/**
 * The care-episode worker: our workflows and FHIR activities on one task queue.
 * `main.ts` runs it as a process; integration tests run the very same worker in-process.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { MedplumClient } from '@medplum/core';
import type { DataConverter } from '@temporalio/common';
import { Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { Logger, NativeConnection, WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import { DEFAULT_WORKER_TUNING, type WorkerTuning } from '../platform/config.ts';
import { FAILURE_CONVERTER_PATH } from '../platform/data-converter.ts';

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
  tuning?: WorkerTuning;
  /** Worker identity in histories (default: the SDK's `pid@host`); tests that run several workers in one process tell them apart by it. */
  identity?: string;
}

/** The SDK options that size a worker; the benchmarks' no-op floor worker uses the same. */
export function workerSizing(tuning: WorkerTuning = DEFAULT_WORKER_TUNING) {
  return {
    maxCachedWorkflows: tuning.cachedWorkflows,
    workflowThreadPoolSize: tuning.workflowThreads,
    maxConcurrentWorkflowTaskExecutions: tuning.concurrentWorkflowTasks,
    maxConcurrentActivityTaskExecutions: tuning.concurrentActivities,
  } as const;
}

/**
 * Bundles our workflow code for the sandbox. (Not `preloadModules`: the SDK deep-freezes preloaded
 * modules, and zod installs prototype members lazily and @date-fns/tz caches in plain objects;
 * preloading the rules failed every episode with "Cannot define property prefault, object is not
 * extensible".) Webpack's statistics (many lines, at info level) are
 * dropped; its warnings and errors reach the runtime's logger.
 */
export function bundleCareWorkflows(logger: Logger = Runtime.instance().logger): Promise<WorkflowBundle> {
  const ignore = (): void => undefined;
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    // The sandbox converts the workflows' own failures: the same converter as every process.
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { log: ignore, trace: ignore, debug: ignore, info: ignore, warn: logger.warn.bind(logger), error: logger.error.bind(logger) },
  });
}

const BUNDLE_SCRIPT = new URL('./bundle-workflows.ts', import.meta.url).pathname;

/** The same bundle, built by a child process (`bundle-workflows.ts`) so that webpack's memory is not kept by the worker. */
export async function bundleCareWorkflowsApart(logger: Logger = Runtime.instance().logger): Promise<{ code: string }> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [BUNDLE_SCRIPT], { maxBuffer: 256 * 2 ** 20, encoding: 'utf8' });
  if (stderr.trim()) logger.warn('workflow bundler', { output: stderr.trim() });
  return { code: stdout };
}

/**
 * Runs the process in UTC, whatever its host. Workflow code sees the host's zone through `Date`:
 * local-date.ts reads the host's offset around DST changes (and `TZDate` does), which can move a
 * day's start by an hour, and any worker may replay any history. Node applies the change at once;
 * the SDK's workflow threads, made by `Worker.create`, start in it. Every worker creation calls it
 * first, before the sandbox reads an offset.
 */
export function pinWorkerTimeZone(): void {
  process.env.TZ = 'UTC';
}

export async function createCareWorker(options: CareWorkerOptions): Promise<Worker> {
  pinWorkerTimeZone();
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle ?? (await bundleCareWorkflowsApart()),
    activities: createActivities({ fhir: options.fhir }),
    ...workerSizing(options.tuning),
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    ...(options.identity ? { identity: options.identity } : {}),
  });
}
