/**
 * A real stack for episode tests: Temporal's time-skipping server, the embedded FHIR server (which
 * validates every Task write against our package) and the care worker with its real activities.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MedplumClient } from '@medplum/core';
import type { Task } from '@medplum/fhirtypes';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { temporal } from '@temporalio/proto';
import { DefaultPayloadConverter, type Payload } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
import type { Worker } from '@temporalio/worker';
import { startFhirServer, type RunningFhirServer } from '../../fhir-server/server.ts';
import { createTimeSkippingEnvironment } from '../../local-stack/time-skipping.ts';
import { createFhirClient } from '../../platform/fhir-client.ts';
import { bundleCareWorkflows, createCareWorker } from '../../worker/worker.ts';
import { startOfLocalDay } from '../../domain/rules/index.ts';
import { CARE_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.ts';
import { TASK_IDENTIFIER_SYSTEM, TASK_STATUS_SYSTEM } from '../../domain/vocabulary.ts';
import { NEWEST_PATCH_ID } from '../../domain/episode/patches.ts';
import type { EpisodeInput } from '../../domain/episode/input.ts';
import { episodeStartOptions } from '../../workflows/episode/start-options.ts';
import { recordEvent } from '../../workflows/episode/messages.ts';
import type { EpisodeEventInput } from '../../domain/episode/events.ts';
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

/** `fetch`: what the worker's FHIR client sends its requests through (a test may make it fail). */
export async function startStack(options: { fetch?: typeof fetch } = {}): Promise<Stack> {
  const env = await createTimeSkippingEnvironment();
  // The server skips time whenever nothing runs unless locked; tests move the clock only through `skipTo`.
  await env.connection.testService?.lockTimeSkipping({});
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(CARE_SEARCH_ATTRIBUTES.map((key) => [key.name, searchAttributeTypeNumber(key.type)])),
  });
  const fhirServer = await startFhirServer({ dataDir: mkdtempSync(join(tmpdir(), 'episode-fhir-')) });
  const fhir = createFhirClient({ baseUrl: fhirServer.baseUrl, auth: { kind: 'none' } });
  const workerFhir = options.fetch ? createFhirClient({ baseUrl: fhirServer.baseUrl, auth: { kind: 'none' } }, options.fetch) : fhir;
  bundle ??= await bundleCareWorkflows(quietLogger);
  const worker = await createCareWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue: TASK_QUEUE, fhir: workerFhir, workflowBundle: bundle });
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

/** A face-to-face contact recorded on `date` (`version`: the Encounter's version, for an edit). */
export function faceToFace(id: string, date: string, version = 1): EpisodeEventInput {
  return { type: 'contact-recorded', eventId: `Encounter/${id}/_history/${version}`, encounterId: id, kind: 'face-to-face', date };
}

/** The note of contact `id`, completed at noon on `date`. */
export function individualNote(id: string, date: string): EpisodeEventInput {
  return {
    type: 'document-completed',
    eventId: `QuestionnaireResponse/n-${id}/_history/1`,
    requirement: 'NOTE-INDIVIDUAL',
    cycle: id,
    questionnaireResponseId: `n-${id}`,
    completedAt: new Date(localNoon(date)).toISOString(),
  };
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

/**
 * Whether nothing of the workflow is in flight: every activity it scheduled has closed and its last
 * workflow task has completed. The time-skipping server holds a time-skipping lock for each open
 * activity and keeps it when the workflow is terminated, so a test that terminates an episode with
 * an activity still running leaves the clock of every later test stopped.
 */
function idle(events: HistoryEvent[]): boolean {
  const closed = new Set(
    events.map((event) => {
      const closing = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes ?? event.activityTaskCanceledEventAttributes;
      return closing ? Number(closing.scheduledEventId) : undefined;
    }),
  );
  const openActivity = events.some((event) => event.activityTaskScheduledEventAttributes && !closed.has(Number(event.eventId)));
  const last = events.at(-1);
  return !openActivity && !last?.workflowTaskScheduledEventAttributes && !last?.workflowTaskStartedEventAttributes;
}

/** Terminates an episode once nothing of it is in flight (see `idle`). */
export async function terminateWhenIdle(handle: WorkflowHandle<typeof clientEpisode>): Promise<void> {
  for (let polls = 0; !idle((await handle.fetchHistory()).events ?? []); polls++) {
    if (polls >= 300) throw new Error(`${handle.workflowId} still has work in flight after 300 polls`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await handle.terminate('test done');
}

/** Reads until `holds` is true of what `read` gives (300 polls, 200 ms apart), and returns it. */
export async function until<T>(what: string, read: () => Promise<T>, holds: (value: T) => boolean): Promise<T> {
  for (let polls = 0; ; polls++) {
    const value = await read();
    if (holds(value)) return value;
    if (polls >= 300) throw new Error(`${what}: not so after 300 polls (${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const payloads = new DefaultPayloadConverter();

/** The signals a workflow received so far, by name, with their first argument decoded. */
export async function signalsOf(env: TestWorkflowEnvironment, workflowId: string): Promise<{ name: string; arg: unknown }[]> {
  try {
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).flatMap((event) => {
      const signal = event.workflowExecutionSignaledEventAttributes;
      return signal ? [{ name: signal.signalName ?? '', arg: decoded(signal.input?.payloads?.[0]) }] : [];
    });
  } catch (error) {
    if ((error as Error).name === 'WorkflowNotFoundError' || /not found/i.test((error as Error).message)) return [];
    throw error;
  }
}
const decoded = (payload: Payload | null | undefined): unknown => (payload ? payloads.fromPayload(payload) : undefined);

/** The summary the Web UI shows for a timer, an activity or a local activity's marker. */
export function summaryOf(event: HistoryEvent): string | undefined {
  return decoded(event.userMetadata?.summary) as string | undefined;
}

/** What a local activity's marker records: its activity type, and whether it failed. */
export function localActivityOf(event: HistoryEvent): { activityType: string; failed: boolean } | undefined {
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== 'core_local_activity') return undefined;
  const data = decoded(marker.details?.data?.payloads?.[0]) as { activity_type?: string } | undefined;
  return { activityType: data?.activity_type ?? '', failed: Boolean(marker.failure) };
}

/** Task writes in a history: ordinary activities scheduled plus local ones completed. */
export function taskWrites(events: HistoryEvent[]): number {
  return events.filter(
    (event) =>
      event.activityTaskScheduledEventAttributes?.activityType?.name === 'writeRequirementTask' ||
      (localActivityOf(event)?.activityType === 'writeRequirementTask' && !localActivityOf(event)?.failed),
  ).length;
}

/** The episode's own search attributes of an upsert (the SDK's TemporalChangeVersion upserts for patches left out), decoded. */
export function upsertedAttributes(event: HistoryEvent): Record<string, unknown> | undefined {
  const fields = event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
  if (!fields) return undefined;
  const own = Object.entries(fields).filter(([key]) => key !== 'TemporalChangeVersion');
  return own.length > 0 ? Object.fromEntries(own.map(([key, payload]) => [key, decoded(payload)])) : undefined;
}

/**
 * Writes a history as a fixture for the replay test when RECORD_HISTORIES is set, named after the
 * newest patch it was recorded with (`<name>.<patch id>-run<n>.json`). Never replaces
 * one: a fixture recorded by older code must keep replaying, so new logic gets new fixtures.
 */
export function recordFixture(name: string, history: unknown, run = 1): void {
  const file = new URL(`../fixtures/histories/${name}.${NEWEST_PATCH_ID}-run${run}.json`, import.meta.url);
  if (process.env.RECORD_HISTORIES && !existsSync(file)) writeFileSync(file, historyToJSON(history as Parameters<typeof historyToJSON>[0]));
}
