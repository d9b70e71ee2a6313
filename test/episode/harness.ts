/**
 * A real stack for episode tests: Temporal's time-skipping server, the embedded FHIR server (which
 * validates every Task write against our package) and the care worker with its real activities.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MedplumClient } from '@medplum/core';
import type { Task } from '@medplum/fhirtypes';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
import { bundleWorkflowCode, type Worker } from '@temporalio/worker';
import { startFhirServer, type RunningFhirServer } from '../../fhir-server/server.ts';
import { createTimeSkippingEnvironment } from '../../local-stack/time-skipping.ts';
import { createFhirClient } from '../../worker/fhir-client.ts';
import { createCareWorker, WORKFLOWS_PATH } from '../../worker/worker.ts';
import { startOfLocalDay } from '../../workflows/rules/index.ts';
import { CARE_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.ts';
import { TASK_IDENTIFIER_SYSTEM, TASK_STATUS_SYSTEM } from '../../workflows/vocabulary.ts';
import type { EpisodeInput } from '../../workflows/episode/input.ts';
import { episodeStartOptions } from '../../workflows/episode/start-options.ts';
import { recordEvent, type EpisodeEventInput } from '../../workflows/episode/messages.ts';
import type { clientEpisode } from '../../workflows/index.ts';

export const TIME_ZONE = 'America/Chicago';
export const TASK_QUEUE = 'care-episodes-test';

export interface Stack {
  env: TestWorkflowEnvironment;
  fhirServer: RunningFhirServer;
  fhir: MedplumClient;
  worker: Worker;
  workerRun: Promise<void>;
  stop(): Promise<void>;
}

let bundle: { code: string } | undefined;

export async function startStack(): Promise<Stack> {
  const env = await createTimeSkippingEnvironment();
  // The server skips time whenever nothing runs unless locked; tests move the clock only through `skipTo`.
  await env.connection.testService?.lockTimeSkipping({});
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(CARE_SEARCH_ATTRIBUTES.map((key) => [key.name, searchAttributeTypeNumber(key.type)])),
  });
  const fhirServer = await startFhirServer({ dataDir: mkdtempSync(join(tmpdir(), 'episode-fhir-')) });
  const fhir = createFhirClient({ baseUrl: fhirServer.baseUrl, auth: { kind: 'none' } });
  bundle ??= await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  const worker = await createCareWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue: TASK_QUEUE, fhir, workflowBundle: bundle });
  const workerRun = worker.run();
  return {
    env,
    fhirServer,
    fhir,
    worker,
    workerRun,
    async stop() {
      worker.shutdown();
      await workerRun;
      await env.teardown();
      await fhirServer.stop();
    },
  };
}

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Temporal's IndexedValueType numbers. */
function searchAttributeTypeNumber(type: string): number {
  return { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 }[type] ?? 0;
}

/** Noon on a local date in the agency's zone. */
export function localNoon(date: string): number {
  return startOfLocalDay(date, TIME_ZONE) + 12 * 3_600_000;
}

/** Skips the test server's clock forward to `instant` (never back). */
export async function skipTo(env: TestWorkflowEnvironment, instant: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (instant > now) await env.sleep(instant - now);
}

export function episodeInput(id: string, admissionDate: string, policy: EpisodeInput['policy'] = {}): EpisodeInput {
  return {
    patient: `Patient/p-${id}`,
    episodeOfCare: `EpisodeOfCare/${id}`,
    carePlan: `CarePlan/cp-${id}`,
    specialist: 'Practitioner/specialist-1',
    supervisor: 'Practitioner/supervisor-1',
    agency: 'Organization/agency-1',
    admissionDate,
    policy,
  };
}

export async function startEpisode(stack: Stack, input: EpisodeInput) {
  return stack.env.client.workflow.start<typeof clientEpisode>('clientEpisode', episodeStartOptions(input, TASK_QUEUE));
}

export function send(handle: WorkflowHandle<typeof clientEpisode>, event: EpisodeEventInput) {
  return handle.executeUpdate(recordEvent, { args: [event] });
}

/** What a test compares: one row per Task of the episode, from the FHIR server. */
export interface TaskRow {
  key: string;
  status: Task['status'];
  businessStatus: string | undefined;
  due: string | undefined;
  owner: string | undefined;
  evidence?: string;
}

export async function episodeTasks(fhir: MedplumClient, episodeId: string): Promise<Task[]> {
  const tasks = await fhir.searchResources('Task', new URLSearchParams([['subject', `Patient/p-${episodeId}`], ['_count', '1000']]), {
    cache: 'no-cache',
  });
  return tasks.filter((task) => task.identifier?.some((identifier) => identifier.value?.startsWith(`${episodeId}/`)));
}

export function rowOf(task: Task, episodeId: string): TaskRow {
  const key = task.identifier!.find((identifier) => identifier.system === TASK_IDENTIFIER_SYSTEM)!.value!.slice(episodeId.length + 1);
  const evidence = task.output?.[0]?.valueReference?.reference;
  return {
    key,
    status: task.status,
    businessStatus: task.businessStatus?.coding?.find((coding) => coding.system === TASK_STATUS_SYSTEM)?.code,
    due: task.restriction?.period?.end && new Date(task.restriction.period.end).toLocaleDateString('en-CA', { timeZone: TIME_ZONE }),
    owner: task.owner?.reference,
    ...(evidence ? { evidence } : {}),
  };
}

export async function taskRows(fhir: MedplumClient, episodeId: string): Promise<Record<string, Omit<TaskRow, 'key'>>> {
  const rows = (await episodeTasks(fhir, episodeId)).map((task) => rowOf(task, episodeId));
  return Object.fromEntries(rows.sort((a, b) => a.key.localeCompare(b.key)).map(({ key, ...row }) => [key, row]));
}

/** Length of every run's history, following continue-as-new from the first run. */
export async function historyLengths(env: TestWorkflowEnvironment, workflowId: string, firstRunId: string): Promise<number[]> {
  const lengths: number[] = [];
  for (let runId: string | undefined = firstRunId; runId; ) {
    const history: { events?: HistoryEvent[] | null } = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: HistoryEvent[] = history.events ?? [];
    lengths.push(events.length);
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return lengths;
}
