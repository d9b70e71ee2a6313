/**
 * Polling through a burst: 3,000 Encounters written within seconds (batch Bundles to the embedded
 * server, many sharing one `lastUpdated`), more than the cursor's recent set holds and than one
 * activity run delivers, with one delivery failing once mid-run. Each version must reach the
 * delivery exactly once, and a change written after them too. Real Temporal dev server, real FHIR
 * server; the delivery is the intake's own, wrapped to count what it is given.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createFhirChangeActivities, type DeliverChange } from '../../activities/fhir-changes.ts';
import { startFhirServer, type RunningFhirServer } from '../../fhir-server/server.ts';
import { deliverFhirChange } from '../../activities/deliver-fhir-change.ts';
import { ensurePolling, requestPoll } from '../../intake/polling.ts';
import { startTemporalDevServer, type RunningDevServer } from '../../local-stack/dev-server.ts';
import { createFhirClient } from '../../platform/fhir-client.ts';
import { bundleCareWorkflowsApart, pinWorkerTimeZone } from '../../worker/worker.ts';
import { getPollingState } from '../../workflows/polling/fhir-polling.ts';
import { V3_ACT_CODE } from '../../domain/vocabulary.ts';

const TASK_QUEUE = 'polling-burst';
const VERSIONS = 3_000;
const FAILING_DELIVERY = 1_234;

let temporal: RunningDevServer;
let fhirServer: RunningFhirServer;
let workerConnection: NativeConnection;
let worker: Worker;
let workerRun: Promise<void>;
let client: Client;
const deliveries = new Map<string, number>();
let attempts = 0;

const countingDelivery: DeliverChange = async (context, resource) => {
  attempts++;
  if (attempts === FAILING_DELIVERY) throw new Error('injected failure: the activity is retried');
  const key = `${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId}`;
  deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
  return deliverFhirChange(context, resource);
};

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'polling-burst-'));
  temporal = await startTemporalDevServer({ ui: false, dbFile: join(dataDir, 'temporal.sqlite') });
  fhirServer = await startFhirServer({ dataDir: join(dataDir, 'fhir') });
  workerConnection = await NativeConnection.connect({ address: temporal.address });
  pinWorkerTimeZone();
  worker = await Worker.create({
    connection: workerConnection,
    namespace: temporal.namespace,
    taskQueue: TASK_QUEUE,
    workflowBundle: await bundleCareWorkflowsApart(),
    activities: createFhirChangeActivities({ fhir: createFhirClient({ baseUrl: fhirServer.baseUrl, auth: { kind: 'none' } }), deliver: countingDelivery }),
  });
  workerRun = worker.run();
  client = new Client({ connection: await Connection.connect({ address: temporal.address }), namespace: temporal.namespace });
});

afterAll(async () => {
  worker?.shutdown();
  await workerRun;
  await workerConnection?.close();
  await client?.connection.close();
  await fhirServer?.stop();
  await temporal?.stop();
});

/** A planned contact: watched, and skipped by the mapping, so that no episode is needed. */
const plannedContact = (): Resource =>
  ({ resourceType: 'Encounter', status: 'planned', class: { system: V3_ACT_CODE, code: 'HH' }, subject: { reference: 'Patient/burst' } }) as Resource;

async function writeBatch(count: number): Promise<void> {
  const entry = Array.from({ length: count }, () => ({ request: { method: 'POST', url: 'Encounter' }, resource: plannedContact() }));
  const response = await fetch(fhirServer.baseUrl, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry }) });
  if (!response.ok) throw new Error(`batch write failed: HTTP ${response.status}`);
}

async function waitFor(what: string, timeoutMs: number, done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test(`${VERSIONS} versions inside one overlap window: each delivered exactly once, and the next change too`, { timeout: 150_000 }, async () => {
  const workflowId = await ensurePolling(client, TASK_QUEUE, { source: 'burst', resourceTypes: ['Encounter'], intervalMs: 600_000, episodeDefaults: { supervisor: 'Practitioner/burst-sup' } });
  const polling = client.workflow.getHandle(workflowId);
  const pollingState = () => polling.query(getPollingState);
  await waitFor('first poll', 30_000, async () => (await pollingState()).polls >= 1);

  const started = Date.now();
  for (let written = 0; written < VERSIONS; written += 500) await writeBatch(500);
  const writtenIn = Date.now() - started;
  await requestPoll(client, 'burst');
  await waitFor(`${VERSIONS} deliveries`, 120_000, () => deliveries.size >= VERSIONS);
  const deliveredIn = Date.now() - started;

  await writeBatch(1);
  await requestPoll(client, 'burst');
  await waitFor('the change after them', 30_000, () => deliveries.size >= VERSIONS + 1);
  // One more poll, which re-reads the overlap window: nothing again.
  const polls = (await pollingState()).polls;
  await requestPoll(client, 'burst');
  await waitFor('a poll after them', 30_000, async () => (await pollingState()).polls > polls);

  const duplicates = [...deliveries.values()].filter((count) => count > 1).length;
  const state = await pollingState();
  console.log(
    `polling burst: ${VERSIONS} versions written in ${writtenIn} ms, delivered in ${deliveredIn} ms; ${deliveries.size} distinct deliveries, ${duplicates} duplicated; ` +
      `${state.polls} polls, ${state.cursors.Encounter?.recent.length} recent in the cursor`,
  );
  expect(attempts).toBeGreaterThan(FAILING_DELIVERY);
  expect(duplicates).toBe(0);
  expect(deliveries.size).toBe(VERSIONS + 1);
  expect(state.delivered + state.skipped).toBe(VERSIONS + 1);
  await polling.terminate('test done');
});
