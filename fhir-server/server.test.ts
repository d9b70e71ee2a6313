import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, OperationOutcome, Patient, Resource } from '@medplum/fhirtypes';
import { afterEach, describe, expect, test } from 'vitest';
import { startFhirServerProcess } from './server-process.ts';
import { startFhirServer } from './server.ts';
import type { RunningFhirServer } from './server.ts';

const MRN = 'https://hospital.example.org/mrn';
let running: RunningFhirServer | undefined;

async function start(dataDir: string): Promise<RunningFhirServer> {
  running = await startFhirServer({ dataDir, onWarning: (message) => warnings.push(message) });
  return running;
}
const warnings: string[] = [];

afterEach(async () => {
  await running?.stop();
  running = undefined;
  warnings.length = 0;
});

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'fhir-server-test-'));
}

async function call<T extends Resource = Resource>(
  server: RunningFhirServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: T }> {
  const response = await fetch(`${server.baseUrl}/${path}`, {
    method,
    headers: { 'Content-Type': 'application/fhir+json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as T };
}

const patient = (value: string): Patient => ({ resourceType: 'Patient', identifier: [{ system: MRN, value }] });

describe('embedded FHIR server', () => {
  test('GET /metadata returns an R4 CapabilityStatement', async () => {
    const server = await start(freshDir());
    const { status, body } = await call(server, 'GET', 'metadata');
    expect(status).toBe(200);
    expect(body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance' });
    const task = (body as { rest: { resource: { type: string; interaction: unknown[] }[] }[] }).rest[0]?.resource.find((r) => r.type === 'Task');
    expect(task?.interaction).toContainEqual({ code: 'create' });
  });

  test('conditional create returns the existing resource the second time', async () => {
    const server = await start(freshDir());
    const headers = { 'If-None-Exist': `identifier=${MRN}|A-1` };
    const first = await call(server, 'POST', 'Patient', patient('A-1'), headers);
    const second = await call(server, 'POST', 'Patient', patient('A-1'), headers);
    expect(first.status).toBe(201);
    expect(first.headers.get('Location')).toContain(`/Patient/${first.body.id}/_history/`);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const search = await call<Bundle>(server, 'GET', `Patient?identifier=${encodeURIComponent(`${MRN}|A-1`)}`);
    expect(search.body.total).toBe(1);
  });

  test('a Task without status gets a 400 OperationOutcome naming Task.status', async () => {
    const server = await start(freshDir());
    const { status, body } = await call<OperationOutcome>(server, 'POST', 'Task', {
      resourceType: 'Task',
      intent: 'order',
      for: { reference: 'Patient/1' },
    });
    expect(status).toBe(400);
    expect(body.resourceType).toBe('OperationOutcome');
    expect(body.issue?.[0]?.expression).toContain('Task.status');
  });

  test('an update with a stale If-Match gets 412 and changes nothing', async () => {
    const server = await start(freshDir());
    const created = await call<Patient>(server, 'POST', 'Patient', patient('B-1'));
    const staleEtag = created.headers.get('ETag') as string;
    const updated = await call<Patient>(server, 'PUT', `Patient/${created.body.id}`, { ...created.body, active: true }, { 'If-Match': staleEtag });
    expect(updated.status).toBe(200);
    const stale = await call<OperationOutcome>(server, 'PUT', `Patient/${created.body.id}`, { ...created.body, active: false }, { 'If-Match': staleEtag });
    expect(stale.status).toBe(412);
    const read = await call<Patient>(server, 'GET', `Patient/${created.body.id}`);
    expect(read.body.active).toBe(true);
    const history = await call<Bundle>(server, 'GET', `Patient/${created.body.id}/_history`);
    expect(history.body.entry).toHaveLength(2);
  });

  test('every acknowledged write survives a restart, with its id, version and history', async () => {
    const dir = freshDir();
    const server = await start(dir);
    const created = await call<Patient>(server, 'POST', 'Patient', patient('C-1'));
    const updated = await call<Patient>(server, 'PUT', `Patient/${created.body.id}`, { ...created.body, active: true });
    const deleted = await call<Patient>(server, 'POST', 'Patient', patient('C-2'));
    await call(server, 'DELETE', `Patient/${deleted.body.id}`);
    await server.stop();

    const restarted = await start(dir);
    const read = await call<Patient>(restarted, 'GET', `Patient/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.meta?.versionId).toBe(updated.body.meta?.versionId);
    expect(read.body.active).toBe(true);
    expect((await call<Bundle>(restarted, 'GET', `Patient/${created.body.id}/_history`)).body.entry).toHaveLength(2);
    expect((await call(restarted, 'GET', `Patient/${deleted.body.id}`)).status).toBe(404);
    expect(warnings).toEqual([]);
  });

  test('a fresh server process answers searches over its replayed journal before any write', async () => {
    const dir = freshDir();
    const server = await start(dir);
    await call(server, 'POST', 'Patient', patient('C-3'));
    await server.stop();
    running = undefined;

    const { port, stop } = await startFhirServerProcess(dir);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/fhir/R4/Patient?identifier=${encodeURIComponent(`${MRN}|C-3`)}`);
      expect(((await response.json()) as Bundle).total).toBe(1);
    } finally {
      stop();
    }
  });

  test('a torn last journal line is reported and skipped, and the journal stays usable', async () => {
    const dir = freshDir();
    const server = await start(dir);
    const kept = await call<Patient>(server, 'POST', 'Patient', patient('D-1'));
    await server.stop();
    appendFileSync(join(dir, 'journal.ndjson'), '[{"op":"put","resource":{"resourceType":"Pat');

    const restarted = await start(dir);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/incomplete last commit/);
    expect((await call(restarted, 'GET', `Patient/${kept.body.id}`)).status).toBe(200);
    const after = await call<Patient>(restarted, 'POST', 'Patient', patient('D-2'));
    await restarted.stop();

    const again = await start(dir);
    expect(warnings).toHaveLength(1);
    expect((await call(again, 'GET', `Patient/${after.body.id}`)).status).toBe(200);
  });

  test('a transaction applies whole or not at all, also across a restart', async () => {
    const dir = freshDir();
    const server = await start(dir);
    const entry = (resource: Resource, fullUrl: string) => ({ fullUrl, resource, request: { method: 'POST', url: resource.resourceType } });
    const failing = await call(server, 'POST', '', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        entry(patient('E-1'), 'urn:uuid:8e0a4b52-8f0a-4d47-9d7b-0f8a0e0b0001'),
        entry({ resourceType: 'Task', intent: 'order' } as Resource, 'urn:uuid:8e0a4b52-8f0a-4d47-9d7b-0f8a0e0b0002'),
      ],
    });
    expect(failing.status).toBeGreaterThanOrEqual(400);
    const none = await call<Bundle>(server, 'GET', `Patient?identifier=${encodeURIComponent(`${MRN}|E-1`)}`);
    expect(none.body.total).toBe(0);

    const succeeding = await call<Bundle>(server, 'POST', '', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [entry(patient('E-2'), 'urn:uuid:8e0a4b52-8f0a-4d47-9d7b-0f8a0e0b0003'), entry(patient('E-3'), 'urn:uuid:8e0a4b52-8f0a-4d47-9d7b-0f8a0e0b0004')],
    });
    expect(succeeding.status).toBe(200);
    await server.stop();

    const restarted = await start(dir);
    const all = await call<Bundle<Patient>>(restarted, 'GET', 'Patient');
    expect(all.body.entry?.map((e) => e.resource?.identifier?.[0]?.value).sort()).toEqual(['E-2', 'E-3']);
  });

  test('searches are paged with next links that reach every match once', async () => {
    const server = await start(freshDir());
    for (let i = 0; i < 25; i++) await call(server, 'POST', 'Patient', patient(`F-${i}`));
    const seen: string[] = [];
    let url: string | undefined = `${server.baseUrl}/Patient?_count=10`;
    let pages = 0;
    while (url) {
      const page = (await (await fetch(url)).json()) as Bundle<Patient>;
      pages += 1;
      seen.push(...(page.entry ?? []).map((e) => e.resource?.id as string));
      url = page.link?.find((link) => link.relation === 'next')?.url;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
    const firstPage = await call<Bundle>(server, 'GET', 'Patient');
    expect(firstPage.body.entry).toHaveLength(20);
    expect(firstPage.body.total).toBe(25);
  });

  test('an unknown search parameter is a 400 naming it, not an empty result', async () => {
    const server = await start(freshDir());
    const unknown = await call<OperationOutcome>(server, 'GET', 'Task?for=Patient/1');
    expect(unknown.status).toBe(400);
    expect(unknown.body.issue?.[0]?.details?.text).toBe("Unknown search parameter 'for' for Task");
    expect((await call(server, 'GET', 'Task?patient=Patient/1&status:not=cancelled&_sort=-_lastUpdated')).status).toBe(200);
    expect((await call(server, 'GET', 'Encounter?subject:Patient.identifier=x')).status).toBe(200);
  });

  test('_lastUpdated and _sort work', async () => {
    const server = await start(freshDir());
    const before = await call<Patient>(server, 'POST', 'Patient', patient('G-1'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const cursor = before.body.meta?.lastUpdated as string;
    const later = await call<Patient>(server, 'POST', 'Patient', patient('G-2'));
    const newer = await call<Bundle<Patient>>(server, 'GET', `Patient?_lastUpdated=gt${encodeURIComponent(cursor)}`);
    expect(newer.body.entry?.map((e) => e.resource?.id)).toEqual([later.body.id]);
    const sorted = await call<Bundle<Patient>>(server, 'GET', 'Patient?_sort=-_lastUpdated');
    expect(sorted.body.entry?.map((e) => e.resource?.id)).toEqual([later.body.id, before.body.id]);
  });

  test('_sort with two keys ranks by the first, ties by the second', async () => {
    const server = await start(freshDir());
    const entry = ['c', 'a', 'b'].map((id) => ({ request: { method: 'PUT', url: `Patient/${id}` }, resource: { ...patient(id), id } }));
    await call(server, 'POST', '', { resourceType: 'Bundle', type: 'transaction', entry });
    await call(server, 'PUT', 'Patient/a', { ...patient('a2'), id: 'a' });
    const sorted = await call<Bundle<Patient>>(server, 'GET', 'Patient?_sort=_lastUpdated,_id');
    const keys = sorted.body.entry?.map((e) => [e.resource?.meta?.lastUpdated, e.resource?.id] as [string, string]) ?? [];
    expect(keys.at(-1)?.[1]).toBe('a');
    expect(keys).toEqual([...keys].sort(([t1, id1], [t2, id2]) => t1.localeCompare(t2) || id1.localeCompare(id2)));
  });

  test('bad JSON and oversized bodies get an OperationOutcome, and the server keeps serving', async () => {
    const dir = freshDir();
    running = await startFhirServer({ dataDir: dir, maxBodyBytes: 1024 });
    const server = running;
    const bad = await call<OperationOutcome>(server, 'POST', 'Patient', '{"resourceType":');
    expect(bad.status).toBe(400);
    expect(bad.body.issue?.[0]?.details?.text).toMatch(/not valid JSON/);
    const big = await call<OperationOutcome>(server, 'POST', 'Patient', { resourceType: 'Patient', text: 'x'.repeat(2048) });
    expect(big.status).toBe(413);
    expect(big.body.resourceType).toBe('OperationOutcome');
    expect((await call(server, 'POST', 'Patient', patient('H-1'))).status).toBe(201);
  });
});
