import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHapiFhirServer } from './hapi-fhir.ts';
import type { RunningHapiFhirServer } from './hapi-fhir.ts';

/** CI builds the server from scratch in the first run. */
const BUILD_AND_START_MS = 10 * 60_000;
const FHIR_JSON = 'application/fhir+json';

interface Notification {
  method: string;
  url: string;
  body: string;
}

let server: RunningHapiFhirServer;

beforeAll(async () => {
  server = await startHapiFhirServer();
}, BUILD_AND_START_MS);

afterAll(async () => {
  await server?.stop();
});

async function fhir(method: string, path: string, body?: object, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.baseUrl}/${path}`, {
    method,
    headers: { accept: FHIR_JSON, ...(body ? { 'content-type': FHIR_JSON } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('HAPI FHIR JPA server', () => {
  test('serves FHIR R4 and names its HAPI version', async () => {
    const { status, json } = await fhir('GET', 'metadata');
    expect(status).toBe(200);
    expect(json.fhirVersion).toBe('4.0.1');
    expect(json.software).toMatchObject({ name: expect.stringContaining('HAPI'), version: server.version });
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir$/);
  });

  test('creates a resource under a client-assigned id', async () => {
    const id = `p-${randomUUID().slice(0, 8)}`;
    const created = await fhir('PUT', `Practitioner/${id}`, { resourceType: 'Practitioner', id });
    expect(created.status).toBe(201);
    expect((await fhir('GET', `Practitioner/${id}`)).json.id).toBe(id);
  });

  test('refuses a reference to a resource that does not exist (HAPI-1094)', async () => {
    const { status, json } = await fhir('POST', 'Task', {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      owner: { reference: 'Practitioner/missing' },
    });
    expect(status).toBe(400);
    expect(json.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(json.issue)).toContain('HAPI-1094');
  });

  test('a conditional create made twice leaves one resource', async () => {
    const value = randomUUID();
    const practitioner = { resourceType: 'Practitioner', identifier: [{ system: 'urn:test:staff', value }] };
    const ifNoneExist = { 'if-none-exist': `identifier=urn:test:staff|${value}` };
    const first = await fhir('POST', 'Practitioner', practitioner, ifNoneExist);
    const second = await fhir('POST', 'Practitioner', practitioner, ifNoneExist);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.json.id).toBe(first.json.id);
    const found = await fhir('GET', `Practitioner?identifier=${encodeURIComponent(`urn:test:staff|${value}`)}&_total=accurate`);
    expect(found.json.total).toBe(1);
  });

  // HAPI answers a stale If-Match with 409 (HAPI-0989), where the FHIR spec suggests 412; our FHIR
  // clients take both as a conflict.
  test('an update against a stale version is refused as a conflict', async () => {
    const created = await fhir('POST', 'Practitioner', { resourceType: 'Practitioner', active: true });
    const path = `Practitioner/${created.json.id}`;
    const updated = await fhir('PUT', path, { ...created.json, active: false }, { 'if-match': 'W/"1"' });
    expect(updated.status).toBe(200);
    const stale = await fhir('PUT', path, { ...created.json, active: true }, { 'if-match': 'W/"1"' });
    expect(stale.status).toBe(409);
    expect(JSON.stringify(stale.json.issue)).toContain('HAPI-0989');
  });

  describe('rest-hook subscriptions', () => {
    const notifications: Notification[] = [];
    let hook: Server;
    let hookUrl: string;

    beforeAll(async () => {
      hook = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          notifications.push({ method: request.method ?? '', url: request.url ?? '', body });
          response.writeHead(200).end();
        });
      });
      await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
      hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/notify`;
    });

    afterAll(async () => {
      await new Promise((resolve) => hook.close(resolve));
    });

    test('a subscription on Encounter? goes active and notifies the endpoint of a new Encounter', async () => {
      const subscription = await fhir('POST', 'Subscription', {
        resourceType: 'Subscription',
        status: 'requested',
        reason: 'hapi-fhir.test',
        criteria: 'Encounter?',
        channel: { type: 'rest-hook', endpoint: hookUrl, payload: FHIR_JSON },
      });
      expect(subscription.status).toBe(201);
      await waitFor('the subscription to go active', async () => {
        const { json } = await fhir('GET', `Subscription/${subscription.json.id}`);
        return json.status === 'active' ? true : undefined;
      });

      const encounter = await fhir('POST', 'Encounter', {
        resourceType: 'Encounter',
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      });
      expect(encounter.status).toBe(201);
      const notification = await waitFor('the notification of the new Encounter', async () =>
        notifications.find((n) => n.url.includes(`/Encounter/${encounter.json.id}`)),
      );
      expect(JSON.parse(notification.body)).toMatchObject({ resourceType: 'Encounter', id: encounter.json.id });
    });
  });
});
