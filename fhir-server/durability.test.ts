import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, OperationOutcome, Patient, Resource } from '@medplum/fhirtypes';
import { afterEach, describe, expect, test } from 'vitest';
import type { JournalOptions } from './journal.ts';
import { startFhirServerProcess } from './server-process.ts';
import { startFhirServer } from './server.ts';
import type { RunningFhirServer } from './server.ts';
import { testStorage } from './test-storage.ts';

const MRN = 'https://hospital.example.org/mrn';
const patient = (value: string): Patient => ({ resourceType: 'Patient', identifier: [{ system: MRN, value }] });
const freshDir = (): string => mkdtempSync(join(tmpdir(), 'fhir-durability-'));
const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

const servers: RunningFhirServer[] = [];
const warnings: string[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  warnings.length = 0;
});

async function start(dataDir: string, journal?: JournalOptions): Promise<RunningFhirServer> {
  const server = await startFhirServer({ dataDir, journal, onWarning: (message) => warnings.push(message) });
  servers.push(server);
  return server;
}

async function stop(server: RunningFhirServer): Promise<void> {
  servers.splice(servers.indexOf(server), 1);
  await server.stop();
}

async function call<T extends Resource = Resource>(server: RunningFhirServer, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.baseUrl}/${path}`, {
    method,
    headers: { 'Content-Type': 'application/fhir+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as T };
}

const byMrn = async (server: RunningFhirServer, value: string): Promise<number> =>
  (await call<Bundle>(server, 'GET', `Patient?identifier=${encodeURIComponent(`${MRN}|${value}`)}`)).body.total ?? 0;

const transaction = (...resources: Resource[]): Bundle => ({
  resourceType: 'Bundle',
  type: 'transaction',
  entry: resources.map((resource, i) => ({
    fullUrl: `urn:uuid:8e0a4b52-8f0a-4d47-9d7b-0f8a0e0b${String(i).padStart(4, '0')}`,
    resource,
    request: { method: 'POST', url: resource.resourceType },
  })),
});

describe('embedded FHIR server storage', () => {
  test('a disk that fills: 503 with Retry-After while full, nothing refused visible, every acknowledged write kept, writes again once there is room', async () => {
    const dir = freshDir();
    const storage = testStorage();
    let now = 0;
    const server = await start(dir, { fs: storage, retryAfterMs: 30_000, now: () => now });
    const acknowledged: string[] = [];
    const refused: string[] = [];
    const write = async (value: string) => {
      const response = await call<Patient | OperationOutcome>(server, 'POST', 'Patient', patient(value));
      if (response.status === 201) acknowledged.push(value);
      else if (response.status === 503) refused.push(value);
      return response;
    };

    for (let i = 0; i < 5; i++) expect((await write(`ok-${i}`)).status).toBe(201);
    storage.freeBytes = 40; // the next commit gets its first 40 bytes on disk, then ENOSPC
    const full = await write('full-0');
    expect(full.status).toBe(503);
    expect(full.headers.get('Retry-After')).toBe('30');
    expect(full.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] });
    expect(JSON.stringify(full.body)).toContain('ENOSPC');
    expect(JSON.stringify(full.body)).not.toContain('simulated');

    // Refused without touching the disk until the interval has passed; reads keep working.
    const writesBefore = storage.writeCalls;
    expect((await write('full-1')).status).toBe(503);
    const failedTransaction = await call(server, 'POST', '', transaction(patient('full-tx-0'), patient('full-tx-1')));
    expect(failedTransaction.status).toBe(503);
    refused.push('full-tx-0', 'full-tx-1');
    expect(storage.writeCalls).toBe(writesBefore);
    expect(await byMrn(server, 'ok-0')).toBe(1);

    // After the interval the disk is tried again: still full, refused, and a new interval starts.
    now += 30_000;
    expect((await write('full-2')).status).toBe(503);
    expect(storage.writeCalls).toBeGreaterThan(writesBefore);
    storage.freeBytes = undefined; // room again
    now += 10_000;
    const waiting = await write('full-3');
    expect(waiting.status).toBe(503);
    expect(waiting.headers.get('Retry-After')).toBe('20');
    now += 20_000;
    for (let i = 0; i < 3; i++) expect((await write(`again-${i}`)).status).toBe(201);
    expect((await call(server, 'POST', '', transaction(patient('again-tx-0'), patient('again-tx-1')))).status).toBe(200);
    acknowledged.push('again-tx-0', 'again-tx-1');

    const visibleBefore = (await Promise.all(refused.map((value) => byMrn(server, value)))).reduce((a, b) => a + b, 0);
    await stop(server);
    const restarted = await start(dir);
    const present = (await Promise.all(acknowledged.map((value) => byMrn(restarted, value)))).reduce((a, b) => a + b, 0);
    const visibleAfter = (await Promise.all(refused.map((value) => byMrn(restarted, value)))).reduce((a, b) => a + b, 0);
    console.log(
      `disk full: acknowledged ${acknowledged.length}, refused 503 ${refused.length}, present after restart ${present}, ` +
        `visible unacknowledged ${visibleBefore} before and ${visibleAfter} after restart`,
    );
    expect({ present, visibleBefore, visibleAfter }).toEqual({ present: acknowledged.length, visibleBefore: 0, visibleAfter: 0 });
    expect(warnings).toEqual([]);
  });

  test('an fsync that fails: 503, the write is neither visible nor in the journal after a restart', async () => {
    const dir = freshDir();
    const storage = testStorage();
    let now = 0;
    const server = await start(dir, { fs: storage, retryAfterMs: 1_000, now: () => now });
    storage.failNext.fsyncSync = 'EIO';
    const failed = await call(server, 'POST', 'Patient', patient('fsync-0'));
    expect(failed.status).toBe(503);
    expect(failed.headers.get('Retry-After')).toBe('1');
    expect(await byMrn(server, 'fsync-0')).toBe(0);
    now += 1_000;
    expect((await call(server, 'POST', 'Patient', patient('fsync-1'))).status).toBe(201);
    await stop(server);

    const restarted = await start(dir);
    expect([await byMrn(restarted, 'fsync-0'), await byMrn(restarted, 'fsync-1')]).toEqual([0, 1]);
    expect(warnings).toEqual([]);
  });

  test('compaction keeps every resource with its id, versions, lastUpdated and history, and start-up reads the snapshot', async () => {
    const dir = freshDir();
    const server = await start(dir, { compactAfterBytes: 16 * 1024 });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await call<Patient>(server, 'POST', 'Patient', patient(`K-${i}`))).body.id as string);
    for (let round = 0; round < 20; round++) {
      for (const id of ids) await call(server, 'PUT', `Patient/${id}`, { ...patient(`K-${id}`), id, active: round % 2 === 0, birthDate: `2000-01-${String(round + 1).padStart(2, '0')}` });
      // Reading history between compactions must not reorder what the snapshot keeps.
      await call(server, 'GET', `Patient/${ids[0]}/_history`);
    }
    await call(server, 'DELETE', `Patient/${ids[9]}`);
    const histories = async (target: RunningFhirServer) =>
      Promise.all(ids.slice(0, 9).map(async (id) => (await call<Bundle>(target, 'GET', `Patient/${id}/_history`)).body.entry?.map((entry) => entry.resource?.meta)));
    const before = await histories(server);
    expect(before.every((versions) => versions?.length === 21)).toBe(true);
    await stop(server);

    const journal = join(dir, 'journal.ndjson');
    const snapshot = join(dir, 'journal.snapshot.ndjson');
    const journalLines = readFileSync(journal, 'utf8').trim().split('\n');
    const snapshotHeader = JSON.parse(readFileSync(snapshot, 'utf8').split('\n')[0] as string) as { snapshot: { covers: number; records: number } };
    console.log(`compaction: 210 writes, snapshot of ${statSync(snapshot).size} bytes covers journal ${snapshotHeader.snapshot.covers}, journal now ${journalLines.length - 1} commits`);
    expect(snapshotHeader.snapshot.covers).toBeGreaterThan(0);
    expect(journalLines.length - 1).toBeLessThan(210);

    const restarted = await start(dir);
    expect(await histories(restarted)).toEqual(before);
    expect((await call(restarted, 'GET', `Patient/${ids[9]}`)).status).toBe(404);
    const current = await call<Patient>(restarted, 'GET', `Patient/${ids[0]}`);
    expect(current.body.meta).toEqual(before[0]?.[0]);
    expect(await byMrn(restarted, `K-${ids[3]}`)).toBe(1);
    expect(warnings).toEqual([]);
  });

  test('a journal past the threshold is compacted at start-up', async () => {
    const dir = freshDir();
    const server = await start(dir);
    for (let i = 0; i < 30; i++) await call(server, 'POST', 'Patient', patient(`S-${i}`));
    await stop(server);
    const journal = join(dir, 'journal.ndjson');
    const sizeBefore = statSync(journal).size;

    const restarted = await start(dir, { compactAfterBytes: sizeBefore - 1 });
    expect(readFileSync(journal, 'utf8')).toBe('{"journal":{"sequence":1}}\n');
    expect(readFileSync(join(dir, 'journal.snapshot.ndjson'), 'utf8').split('\n')[0]).toBe('{"snapshot":{"covers":0,"records":30}}');
    expect(await byMrn(restarted, 'S-29')).toBe(1);
    await stop(restarted);
    expect(await byMrn(await start(dir), 'S-0')).toBe(1);
  });

  test('failed transactions leave every resource as it was and leak no file descriptor', async () => {
    const dir = freshDir();
    const server = await start(dir);
    const kept = (await call<Patient>(server, 'POST', 'Patient', patient('T-1'))).body;
    const gone = (await call<Patient>(server, 'POST', 'Patient', patient('T-2'))).body;
    const failing = (): Bundle => ({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { request: { method: 'PUT', url: `Patient/${kept.id}` }, resource: { ...patient('T-1 changed'), id: kept.id } },
        { request: { method: 'DELETE', url: `Patient/${gone.id}` } },
        { request: { method: 'POST', url: 'Patient' }, resource: patient('T-3') },
        { request: { method: 'POST', url: 'Task' }, resource: { resourceType: 'Task', intent: 'order' } as Resource },
      ],
    });
    expect((await call(server, 'POST', '', failing())).status).toBe(400);
    const openFds = (): number => readdirSync('/proc/self/fd').length;
    const fdsBefore = openFds();
    for (let i = 0; i < 200; i++) await call(server, 'POST', '', failing());
    const fdsAfter = openFds();
    console.log(`failed transactions: 200, open descriptors ${fdsBefore} before, ${fdsAfter} after`);
    expect(fdsAfter - fdsBefore).toBeLessThan(5);

    const read = await call<Patient>(server, 'GET', `Patient/${kept.id}`);
    expect(read.body).toEqual(kept);
    expect((await call<Bundle>(server, 'GET', `Patient/${kept.id}/_history`)).body.entry).toHaveLength(1);
    expect((await call<Patient>(server, 'GET', `Patient/${gone.id}`)).body).toEqual(gone);
    expect([await byMrn(server, 'T-1'), await byMrn(server, 'T-1 changed'), await byMrn(server, 'T-3')]).toEqual([1, 0, 0]);
  });

  test('the server process (as npm start runs it) makes an old data folder private: 0700, journal 0600', async () => {
    const dir = join(freshDir(), 'fhir');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const journal = join(dir, 'journal.ndjson');
    writeFileSync(journal, '', { mode: 0o644 });
    chmodSync(journal, 0o644);
    const before = { dir: mode(dir), journal: mode(journal) };

    const { stop } = await startFhirServerProcess(dir);
    try {
      const after = { dir: mode(dir), journal: mode(journal) };
      console.log(`old data folder: before ${JSON.stringify(before)}, after start ${JSON.stringify(after)}`);
      expect(before).toEqual({ dir: '755', journal: '644' });
      expect(after).toEqual({ dir: '700', journal: '600' });
    } finally {
      stop();
    }
  });
});
