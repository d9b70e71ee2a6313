/**
 * Payload key rotation during rolling restarts, with two workers on the Temporal dev server and the
 * embedded FHIR server. The two-step way (README, "Rotating the payload key") keeps every workflow
 * task succeeding; the one-step way (the new key put first while an old worker still runs) fails
 * the workflow tasks the old worker takes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/index.js';
import type { temporal } from '@temporalio/proto';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFhirServer, type RunningFhirServer } from '../fhir-server/server.ts';
import { startTemporalDevServer, type RunningDevServer } from '../local-stack/dev-server.ts';
import type { clientEpisode } from '../workflows/episode/client-episode.ts';
import { episodeEvent, getState } from '../workflows/episode/messages.ts';
import { episodeStartOptions } from '../workflows/episode/start-options.ts';
import { localDateOf } from '../domain/rules/index.ts';
import { startCodecServer } from './codec-server.ts';
import { createDataConverter } from '../platform/data-converter.ts';
import { createFhirClient } from '../platform/fhir-client.ts';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, METADATA_KEY_ID } from '../platform/payload-codec.ts';
import type { CodecKeyring } from '../platform/payload-codec.ts';
import { bundleCareWorkflows, createCareWorker } from './worker.ts';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Episode = WorkflowHandle<typeof clientEpisode>;

const A = { id: 'key-a', key: randomBytes(32) };
const B = { id: 'key-b', key: randomBytes(32) };
const ONLY_A: CodecKeyring = { keys: [A], encryptKeyId: A.id };
const A_AND_B_ENCRYPT_A: CodecKeyring = { keys: [A, B], encryptKeyId: A.id };
const A_AND_B_ENCRYPT_B: CodecKeyring = { keys: [A, B], encryptKeyId: B.id };
/** What "put a new key first" did in one step. */
const B_FIRST: CodecKeyring = { keys: [B, A], encryptKeyId: B.id };

const today = localDateOf(Date.now(), 'America/Chicago');
const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

let temporalServer: RunningDevServer;
let fhirServer: RunningFhirServer;
let clientConnection: Connection;
let bundle: { code: string };

beforeAll(async () => {
  temporalServer = await startTemporalDevServer({ ui: false });
  fhirServer = await startFhirServer({ dataDir: mkdtempSync(join(tmpdir(), 'codec-rotation-')) });
  clientConnection = await Connection.connect({ address: temporalServer.address });
  bundle = await bundleCareWorkflows(quietLogger);
}, 180_000);

afterAll(async () => {
  await clientConnection?.close();
  await fhirServer?.stop();
  await temporalServer?.stop();
});

interface RunningWorker {
  stop(): Promise<void>;
}

/** A worker with its own connection, as a worker process has (the SDK allows one worker per task queue and connection). */
async function startWorker(taskQueue: string, identity: string, keyring: CodecKeyring): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: temporalServer.address });
  const worker = await createCareWorker({
    connection,
    namespace: temporalServer.namespace,
    taskQueue,
    fhir: createFhirClient({ baseUrl: fhirServer.baseUrl, auth: { kind: 'none' } }),
    dataConverter: createDataConverter(keyring),
    workflowBundle: bundle,
    identity,
  });
  const run = worker.run();
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (worker.shutdown(), run.finally(() => connection.close()));
      return stopped;
    },
  };
}

function clientWith(keyring: CodecKeyring): Client {
  return new Client({ connection: clientConnection, namespace: temporalServer.namespace, dataConverter: createDataConverter(keyring) });
}

async function startEpisodes(client: Client, taskQueue: string, prefix: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 1; index <= count; index++) {
    const id = `${prefix}-${index}`;
    const input = {
      patient: `Patient/p-${id}`,
      episodeOfCare: `EpisodeOfCare/${id}`,
      specialist: 'Practitioner/rot-specialist',
      supervisor: 'Practitioner/rot-supervisor',
      agency: 'Organization/rot-agency',
      admissionDate: today,
    };
    await client.workflow.start('clientEpisode', episodeStartOptions(input, taskQueue));
    ids.push(`episode-${id}`);
  }
  return ids;
}

/** A face-to-face contact of today, one per episode and round. */
function contact(workflowId: string, round: string) {
  const encounterId = `${workflowId.replace(/^episode-/, '')}-${round}`;
  return { type: 'contact-recorded' as const, eventId: `Encounter/${encounterId}/_history/1`, encounterId, kind: 'face-to-face' as const, date: today };
}

/** Signals every episode a contact through `client` and waits until each episode has applied it. */
async function eventRound(client: Client, workflowIds: string[], round: string): Promise<void> {
  const handles = workflowIds.map((id) => client.workflow.getHandle(id) as Episode);
  for (const handle of handles) await handle.signal(episodeEvent, contact(handle.workflowId, round));
  for (const handle of handles) {
    await until(`${handle.workflowId} applied ${round}`, async () => (await handle.query(getState)).seenEventIds.includes(contact(handle.workflowId, round).eventId));
  }
}

async function until(what: string, holds: () => Promise<boolean>): Promise<void> {
  for (let polls = 0; !(await holds()); polls++) {
    if (polls >= 300) throw new Error(`${what}: not so after 300 polls`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function historyOf(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  return (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

/** Every payload of a history, wherever it sits (inputs, results, metadata, failures' encoded attributes…). */
function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return found;
  const candidate = value as { metadata?: Record<string, unknown>; data?: unknown };
  if (candidate.metadata && typeof candidate.metadata === 'object' && candidate.metadata.encoding instanceof Uint8Array) {
    found.push(candidate as Payload);
    return found;
  }
  for (const child of Object.values(value)) payloadsIn(child, found);
  return found;
}

const textOf = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

/** Posts every payload to a codec server holding `keyring`, as the Web UI does; returns the key ids the encrypted ones used. */
async function decodeAllThroughCodecServer(keyring: CodecKeyring, payloads: Payload[]): Promise<Record<string, number>> {
  const server = await startCodecServer({ codec: new AesGcmPayloadCodec(keyring), host: '127.0.0.1', port: 0, allowedOrigins: [] });
  try {
    const body = {
      payloads: payloads.map((payload) => ({
        metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
        data: Buffer.from(payload.data ?? []).toString('base64'),
      })),
    };
    const response = await fetch(`${server.url}/decode`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status, await response.clone().text()).toBe(200);
    const decoded = ((await response.json()) as { payloads: { metadata: Record<string, string> }[] }).payloads;
    expect(decoded).toHaveLength(payloads.length);
    expect(decoded.filter((payload) => Buffer.from(payload.metadata.encoding ?? '', 'base64').toString() === ENCRYPTED_ENCODING)).toEqual([]);
  } finally {
    await server.stop();
  }
  const keyIds: Record<string, number> = {};
  for (const payload of payloads) {
    if (textOf(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) continue;
    const id = textOf(payload.metadata?.[METADATA_KEY_ID]);
    keyIds[id] = (keyIds[id] ?? 0) + 1;
  }
  return keyIds;
}

function countBy(values: (string | null | undefined)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value ?? '-'] = (counts[value ?? '-'] ?? 0) + 1;
  return counts;
}

test('two-step rotation through rolling restarts of two workers: every workflow task succeeds, and the codec server decodes every payload', { timeout: 300_000 }, async () => {
  const taskQueue = 'codec-rotation-two-steps';
  let worker1 = await startWorker(taskQueue, 'worker-1/A', ONLY_A);
  let worker2 = await startWorker(taskQueue, 'worker-2/A', ONLY_A);
  try {
    const workflowIds = await startEpisodes(clientWith(ONLY_A), taskQueue, 'rot2', 4);
    await eventRound(clientWith(ONLY_A), workflowIds, 'r0');

    // Step 1: the new key is added for decoding, one worker at a time; A still encrypts.
    await worker1.stop();
    worker1 = await startWorker(taskQueue, 'worker-1/A+B,encrypt-A', A_AND_B_ENCRYPT_A);
    await eventRound(clientWith(ONLY_A), workflowIds, 'r1');
    await worker2.stop();
    worker2 = await startWorker(taskQueue, 'worker-2/A+B,encrypt-A', A_AND_B_ENCRYPT_A);
    await eventRound(clientWith(A_AND_B_ENCRYPT_A), workflowIds, 'r2');

    // Step 2: B encrypts, one worker (and the client, as the intake would be) at a time.
    await worker1.stop();
    worker1 = await startWorker(taskQueue, 'worker-1/A+B,encrypt-B', A_AND_B_ENCRYPT_B);
    await eventRound(clientWith(A_AND_B_ENCRYPT_B), workflowIds, 'r3');
    await worker2.stop();
    worker2 = await startWorker(taskQueue, 'worker-2/A+B,encrypt-B', A_AND_B_ENCRYPT_B);
    await eventRound(clientWith(A_AND_B_ENCRYPT_B), workflowIds, 'r4');

    const client = clientWith(A_AND_B_ENCRYPT_B);
    const histories = await Promise.all(workflowIds.map((id) => historyOf(client, id)));
    const events = histories.flat();
    const failed = events.filter((event) => event.workflowTaskFailedEventAttributes);
    const byWorker = countBy(events.filter((event) => event.workflowTaskStartedEventAttributes).map((event) => event.workflowTaskStartedEventAttributes?.identity));
    const activitiesByWorker = countBy(events.filter((event) => event.activityTaskStartedEventAttributes).map((event) => event.activityTaskStartedEventAttributes?.identity));
    const timedOut = events.filter((event) => event.workflowTaskTimedOutEventAttributes).length;
    const keyIds = await decodeAllThroughCodecServer(A_AND_B_ENCRYPT_B, histories.flatMap((history) => payloadsIn(history)));
    console.log(
      `[rotation] two steps: ${workflowIds.length} episodes, ${events.length} events; workflow tasks by worker ${JSON.stringify(byWorker)}; ` +
        `activities by worker ${JSON.stringify(activitiesByWorker)}; failed workflow tasks ${failed.length}, timed out ${timedOut}; encrypted payloads by key ${JSON.stringify(keyIds)}`,
    );
    expect(failed).toEqual([]);
    // Both keys really were in use, and the old-config workers took part after the new key appeared.
    expect(keyIds[A.id]).toBeGreaterThan(0);
    expect(keyIds[B.id]).toBeGreaterThan(0);
    for (const history of histories) expect(history.at(-1)?.workflowExecutionCompletedEventAttributes).toBeFalsy();
    for (const id of workflowIds) await client.workflow.getHandle(id).terminate('test done');
  } finally {
    await worker1.stop();
    await worker2.stop();
  }
});

test('one-step rotation (the new key first while an old worker runs): the old worker fails every workflow task that reads the new key', { timeout: 300_000 }, async () => {
  const taskQueue = 'codec-rotation-one-step';
  let worker1 = await startWorker(taskQueue, 'worker-1/A', ONLY_A);
  let worker2 = await startWorker(taskQueue, 'worker-2/A', ONLY_A);
  try {
    const workflowIds = await startEpisodes(clientWith(ONLY_A), taskQueue, 'rot1', 3);
    await eventRound(clientWith(ONLY_A), workflowIds, 'r0');

    // Worker 1 (and the client) restart with B put first, which also makes it the encrypting key.
    await worker1.stop();
    worker1 = await startWorker(taskQueue, 'worker-1/B,A', B_FIRST);
    const newClient = clientWith(B_FIRST);
    for (const id of workflowIds) await newClient.workflow.getHandle(id).signal(episodeEvent, contact(id, 'r1'));
    // Worker 2 has not been restarted yet. Any task it takes now reads B's payloads; with worker 1
    // stopped for a moment it takes all of them, which keeps chance out of the test.
    await worker1.stop();
    for (const id of workflowIds) await newClient.workflow.getHandle(id).signal(episodeEvent, contact(id, 'r2'));
    const converter = loadDataConverter(createDataConverter(A_AND_B_ENCRYPT_B));
    const messages: string[] = [];
    for (const id of workflowIds) {
      let failure: HistoryEvent | undefined;
      await until(`${id} has a failed workflow task`, async () => {
        failure = (await historyOf(newClient, id)).find((event) => event.workflowTaskFailedEventAttributes);
        return failure !== undefined;
      });
      const attributes = failure!.workflowTaskFailedEventAttributes!;
      expect(attributes.identity).toBe('worker-2/A');
      messages.push((await decodeOptionalFailureToOptionalError(converter, attributes.failure))?.message ?? '');
    }
    console.log(`[rotation] one step: ${messages.length} of ${workflowIds.length} episodes with a failed workflow task on the old worker: ${messages[0]}`);
    for (const message of messages) expect(message).toContain(`key id "${B.id}", which is not among the configured CODEC_KEYS`);

    // Once worker 2 holds B too, the episodes go on.
    await worker2.stop();
    worker2 = await startWorker(taskQueue, 'worker-2/A+B', A_AND_B_ENCRYPT_B);
    await eventRound(clientWith(A_AND_B_ENCRYPT_B), workflowIds, 'r3');
    for (const id of workflowIds) await newClient.workflow.getHandle(id).terminate('test done');
  } finally {
    await worker1.stop();
    await worker2.stop();
  }
});
