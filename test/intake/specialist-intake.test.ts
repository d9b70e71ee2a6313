/**
 * The intake's side of the specialists, against the real Temporal dev server (no worker: signals
 * land in the history as the server takes them). `GET /caseload/<Practitioner id>`: the
 * notifications' secret, OperationOutcomes for what is malformed, and the answer for a specialist
 * no episode has told anything yet (no workflow: caseload 0 under the agency's cap; a running
 * workflow's answer is in operator-cli.test.ts). A specialist's Task changed in the EHR: signalled
 * to `specialist-<id>` as task-changed.
 */
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { episodeDefaultsSchema } from '../../domain/episode/episode-defaults.ts';
import { startIntakeServer, type RunningIntakeServer } from '../../intake/http-server.ts';
import { startTemporalDevServer, type RunningDevServer } from '../../local-stack/dev-server.ts';
import { createFhirClient } from '../../platform/fhir-client.ts';
import { silentLog } from '../../platform/logger.ts';
import { DefaultPayloadConverter } from '@temporalio/common';
import { SPECIALIST_TASK_IDENTIFIER_SYSTEM, SPECIALIST_TASK_STATUS_SYSTEM } from '../../domain/vocabulary.ts';
import { post, type Sent } from './fhir-sender.ts';

const payloads = new DefaultPayloadConverter();
/** The intake's informational OperationOutcome text, e.g. `1 of 1 changes delivered`. */
const answerText = (sent: Sent) => (sent.body.issue?.[0] as { details?: { text?: string } } | undefined)?.details?.text;

const SECRET = 'caseload-test-secret-0123456789';

let temporal: RunningDevServer;
let client: Client;
let intake: RunningIntakeServer;

beforeAll(async () => {
  temporal = await startTemporalDevServer({ ui: false });
  client = new Client({ connection: await Connection.connect({ address: temporal.address }), namespace: temporal.namespace });
  intake = await startIntakeServer({
    secret: SECRET,
    delivery: {
      temporal: client,
      // No FHIR request is made for the caseload.
      fhir: createFhirClient({ baseUrl: 'http://127.0.0.1:9/fhir', auth: { kind: 'none' } }),
      taskQueue: 'nobody-polls-this',
      defaults: episodeDefaultsSchema.parse({ supervisor: 'Practitioner/sup', policy: { caseload: { cap: 12 } } }),
      log: silentLog,
    },
  });
}, 120_000);

afterAll(async () => {
  await intake?.stop();
  await client?.connection.close();
  await temporal?.stop();
});

test("a specialist's Task completed in the EHR is signalled to its workflow; none running: skipped", async () => {
  const task = {
    resourceType: 'Task',
    id: 'caseload-t1',
    meta: { versionId: '2', lastUpdated: '2026-11-20T15:00:00Z' },
    identifier: [{ system: SPECIALIST_TASK_IDENTIFIER_SYSTEM, value: 'cl-s1/CASELOAD/1' }],
    status: 'completed',
    intent: 'order',
    businessStatus: { coding: [{ system: SPECIALIST_TASK_STATUS_SYSTEM, code: 'over-cap' }] },
    owner: { reference: 'Practitioner/sup' },
    executionPeriod: { end: '2026-11-20T15:00:00Z' },
  };
  const notify = () => post(`${intake.url}/notify/Task`, JSON.stringify(task), { Authorization: `Bearer ${SECRET}` });
  const skipped = await notify();
  expect([skipped.status, answerText(skipped)]).toEqual([200, '0 of 1 changes delivered']);

  const specialist = await client.workflow.start('specialistWorkload', {
    workflowId: 'specialist-cl-s1',
    taskQueue: 'nobody-polls-this',
    args: [{ specialist: 'Practitioner/cl-s1', supervisor: 'Practitioner/sup', agency: 'Organization/o1' }],
  });
  const delivered = await notify();
  expect([delivered.status, answerText(delivered)]).toEqual([200, '1 of 1 changes delivered']);
  const signals = (await specialist.fetchHistory()).events?.flatMap((event) => event.workflowExecutionSignaledEventAttributes ?? []) ?? [];
  expect(signals.map((signal) => signal.signalName)).toEqual(['specialistEvent']);
  expect(payloads.fromPayload(signals[0]!.input!.payloads![0]!)).toEqual({
    type: 'task-changed',
    eventId: 'Task/caseload-t1/_history/2',
    taskId: 'caseload-t1',
    status: 'completed',
    owner: 'Practitioner/sup',
    at: '2026-11-20T15:00:00.000Z',
    sourceUpdatedAt: '2026-11-20T15:00:00.000Z',
  });
  await specialist.terminate('test done');
});

const get = (path: string, headers: Record<string, string> = { Authorization: `Bearer ${SECRET}` }, method = 'GET') =>
  fetch(`${intake.url}${path}`, { method, headers });

test('a specialist without a workflow: caseload 0 under the agency policy cap', async () => {
  const response = await get('/caseload/s-new');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(await response.text()).toBe('{"specialist":"Practitioner/s-new","caseload":0,"cap":12,"canAssignOne":true}');
});

test.each<{ case: string; path: string; headers?: Record<string, string>; method?: string; status: number; code: string }>([
  { case: 'no secret', path: '/caseload/s1', headers: {}, status: 401, code: 'login' },
  { case: 'a wrong secret', path: '/caseload/s1', headers: { Authorization: 'Bearer not-the-secret-at-all' }, status: 401, code: 'login' },
  { case: 'not a FHIR id', path: '/caseload/has%20space', status: 400, code: 'invalid' },
  { case: 'no id', path: '/caseload', status: 404, code: 'not-found' },
  { case: 'a path below an id', path: '/caseload/s1/weeks', status: 404, code: 'not-found' },
  { case: 'POST', path: '/caseload/s1', method: 'POST', status: 405, code: 'not-supported' },
])('$case: $status OperationOutcome', async ({ path, headers, method, status, code }) => {
  const response = await get(path, headers, method);
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/fhir+json');
  const body = (await response.json()) as { resourceType: string; issue: { code: string }[] };
  expect(body.resourceType).toBe('OperationOutcome');
  expect(body.issue[0]?.code).toBe(code);
});
