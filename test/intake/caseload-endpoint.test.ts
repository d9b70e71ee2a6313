/**
 * `GET /caseload/<Practitioner id>` on the intake, against the real Temporal dev server: the
 * notifications' secret, OperationOutcomes for what is malformed, and the answer for a specialist
 * no episode has told anything yet (no workflow: caseload 0 under the agency's cap). The answer of
 * a running specialist workflow is in test/intake/operator-cli.test.ts's caseload test.
 */
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { episodeDefaultsSchema } from '../../domain/episode/episode-defaults.ts';
import { startIntakeServer, type RunningIntakeServer } from '../../intake/http-server.ts';
import { startTemporalDevServer, type RunningDevServer } from '../../local-stack/dev-server.ts';
import { createFhirClient } from '../../platform/fhir-client.ts';
import { silentLog } from '../../platform/logger.ts';

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
