/**
 * Hostile and broken HTTP against a real embedded FHIR server: cross-site bodies, foreign Host
 * names (DNS rebinding), oversized and slow requests, missing tokens. After each one the server
 * must still answer a normal read, and a slow client must not hold up anyone else.
 */
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError } from '../platform/config.ts';
import { FhirHttpError } from '../platform/fhir-http-error.ts';
import { createFhirClient } from '../platform/fhir-client.ts';
import { startFhirServer } from './server.ts';
import type { RunningFhirServer } from './server.ts';

const MAX_BODY_BYTES = 64 * 1024;
const TOKEN = 'hostile-requests-test-token';
const BASE = '/fhir/R4';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The JSON answered: a resource or an OperationOutcome. */
  body: { resourceType?: string; id?: string; active?: boolean; issue?: OperationOutcome['issue'] };
}

interface RequestSpec {
  method?: string;
  path: string;
  /** Host header; the served address when absent. */
  host?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sent with chunked transfer encoding, one write each. */
  chunks?: Buffer[];
}

function send(server: RunningFhirServer, spec: RequestSpec): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: spec.host ?? `127.0.0.1:${server.port}`, ...spec.headers };
    if (spec.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(spec.body));
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method: spec.method ?? 'GET', path: `${BASE}/${spec.path}`, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : {} });
      });
    });
    req.on('error', reject);
    for (const chunk of spec.chunks ?? []) req.write(chunk);
    req.end(spec.body);
  });
}

interface RawAnswer {
  /** 0 when the server closed the connection without an answer. */
  status: number;
  body?: OperationOutcome;
  /** The answer said `Connection: close`. */
  closing: boolean;
}

interface RawExchange {
  /** Resolves once the server sent `100 Continue`: it has the headers and the request is in its hands. */
  continued: Promise<void>;
  /** The first final answer, as soon as it is in (or status 0 once the connection closed without one). */
  answer: Promise<RawAnswer>;
  /** Resolves when the server has closed the connection. */
  closed: Promise<void>;
}

/**
 * Writes `head` (and `body`) on a raw socket; with `dribble`, then one byte every 50 ms for as long
 * as the connection is open.
 */
function rawExchange(server: RunningFhirServer, head: string, options: { body?: string; dribble?: boolean } = {}): RawExchange {
  const socket = connect(server.port, '127.0.0.1');
  let signalContinue: () => void = () => undefined;
  const continued = new Promise<void>((resolve) => (signalContinue = resolve));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const answer = new Promise<RawAnswer>((resolve) => {
    let received = Buffer.alloc(0);
    const dribbling = options.dribble ? setInterval(() => socket.writable && socket.write('x'), 50) : undefined;
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      for (;;) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = received.subarray(0, end).toString('latin1').split('\r\n');
        const status = Number(lines[0]?.split(' ')[1]);
        if (status === 100) {
          received = received.subarray(end + 4);
          signalContinue();
          continue;
        }
        const header = (name: string): string | undefined =>
          lines.find((line) => line.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
        const length = Number(header('content-length') ?? 0);
        if (received.length < end + 4 + length) return;
        const text = received.subarray(end + 4, end + 4 + length).toString('utf8');
        socket.off('data', onData);
        resolve({ status, body: text ? (JSON.parse(text) as OperationOutcome) : undefined, closing: header('connection')?.toLowerCase() === 'close' });
        return;
      }
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearInterval(dribbling);
      resolve({ status: 0, closing: true });
    });
    socket.write(head + (options.body ?? ''));
  });
  return { continued, answer, closed };
}

// request | count | answer | still serving, printed after the file.
const table = new Map<string, { count: number; answers: Set<string>; served: number }>();

function record(row: string, answer: number | string, stillServing: boolean): void {
  const entry = table.get(row) ?? { count: 0, answers: new Set<string>(), served: 0 };
  entry.count++;
  entry.answers.add(String(answer));
  if (stillServing) entry.served++;
  table.set(row, entry);
}

function printTable(): void {
  const rows = [['request', 'count', 'answer', 'still serving']];
  for (const [row, { count, answers, served }] of table) rows.push([row, String(count), [...answers].join(', '), `${served}/${count}`]);
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  console.log(rows.map((row) => `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`).join('\n'));
}

let open: RunningFhirServer;
let guarded: RunningFhirServer;
let seeded: Patient;

/** A normal read of the seeded Patient, with whatever credentials the server needs. */
async function stillServes(server: RunningFhirServer): Promise<boolean> {
  const headers: Record<string, string> = server === guarded ? { Authorization: `Bearer ${TOKEN}` } : {};
  const read = await send(server, { path: `Patient/${seeded.id}`, headers });
  return read.status === 200 && read.body.id === seeded.id;
}

async function expectStillServing(server: RunningFhirServer, row: string, answer: number | string): Promise<void> {
  const serving = await stillServes(server);
  record(row, answer, serving);
  expect(serving).toBe(true);
}

/** Plants a Patient and, when given, deletes another. */
const transaction = (deleteId?: string): Bundle => ({
  resourceType: 'Bundle',
  type: 'transaction',
  entry: [
    { request: { method: 'PUT', url: 'Patient/planted' }, resource: { resourceType: 'Patient', id: 'planted' } },
    ...(deleteId ? [{ request: { method: 'DELETE' as const, url: `Patient/${deleteId}` } }] : []),
  ],
});

beforeAll(async () => {
  const options = { maxBodyBytes: MAX_BODY_BYTES, headersTimeoutMs: 1_000, requestTimeoutMs: 4_000 };
  open = await startFhirServer({ dataDir: mkdtempSync(join(tmpdir(), 'hostile-open-')), ...options });
  guarded = await startFhirServer({ dataDir: mkdtempSync(join(tmpdir(), 'hostile-guarded-')), token: TOKEN, ...options });
  const patient = JSON.stringify({ resourceType: 'Patient', id: 'seeded' });
  const json = { 'Content-Type': 'application/fhir+json' };
  seeded = (await send(open, { method: 'PUT', path: 'Patient/seeded', headers: json, body: patient })).body as Patient;
  await send(guarded, { method: 'PUT', path: 'Patient/seeded', headers: { ...json, Authorization: `Bearer ${TOKEN}` }, body: patient });
  expect(await stillServes(open)).toBe(true);
  expect(await stillServes(guarded)).toBe(true);
});

afterAll(async () => {
  printTable();
  await open?.stop();
  await guarded?.stop();
});

describe('the embedded FHIR server under hostile requests', () => {
  test('a cross-site POST of a transaction Bundle (text/plain, form, multipart, no type) gets 415 and writes nothing', async () => {
    const body = JSON.stringify(transaction('seeded'));
    for (const contentType of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
      const answer = await send(open, { method: 'POST', path: '', headers: contentType ? { 'Content-Type': contentType } : {}, body });
      expect(answer.status).toBe(415);
      expect(answer.body.resourceType).toBe('OperationOutcome');
      await expectStillServing(open, 'cross-site POST transaction (text/plain, form, multipart, none)', answer.status);
    }
    expect((await send(open, { path: 'Patient/planted' })).status).toBe(404);
    // The same Bundle as FHIR JSON is a transaction the server runs: the media type alone decided.
    const json = await send(open, { method: 'POST', path: '', headers: { 'Content-Type': 'application/fhir+json; charset=utf-8' }, body: JSON.stringify(transaction()) });
    expect(json.status).toBe(200);
    expect((await send(open, { path: 'Patient/planted' })).status).toBe(200);
  });

  test('JSON Patch keeps working as application/json-patch+json, and only on PATCH', async () => {
    const patch = JSON.stringify([{ op: 'add', path: '/active', value: true }]);
    const patched = await send(open, { method: 'PATCH', path: 'Patient/planted', headers: { 'Content-Type': 'application/json-patch+json' }, body: patch });
    expect(patched.status).toBe(200);
    expect(patched.body.active).toBe(true);
    const asPost = await send(open, { method: 'POST', path: 'Patient', headers: { 'Content-Type': 'application/json-patch+json' }, body: patch });
    expect(asPost.status).toBe(415);
    await expectStillServing(open, 'POST as application/json-patch+json', asPost.status);
  });

  test('a foreign Host is refused on every request, reads included', async () => {
    const requests: RequestSpec[] = [
      { path: `Patient/${seeded.id}`, host: 'attacker.example' },
      { path: `Patient/${seeded.id}`, host: `rebound.attacker.example:${open.port}` },
      { path: 'metadata', host: '127.0.0.1.attacker.example' },
      { path: 'Patient', host: `localhost:${open.port + 1}` },
      { method: 'POST', path: '', host: 'attacker.example', headers: { 'Content-Type': 'application/fhir+json' }, body: JSON.stringify(transaction('seeded')) },
    ];
    for (const spec of requests) {
      const answer = await send(open, spec);
      expect(answer.status).toBe(421);
      expect(answer.body.resourceType).toBe('OperationOutcome');
      await expectStillServing(open, 'foreign Host (GET, metadata, search, POST)', answer.status);
    }
    for (const host of ['localhost', `localhost:${open.port}`, `[::1]:${open.port}`, '127.0.0.1']) {
      expect((await send(open, { path: `Patient/${seeded.id}`, host })).status).toBe(200);
    }
  });

  test('oversized bodies get 413, declared or chunked, and nothing is written', async () => {
    const big = Buffer.from(JSON.stringify({ resourceType: 'Patient', id: 'oversized', name: [{ text: 'x'.repeat(2 * MAX_BODY_BYTES) }] }));
    const json = { 'Content-Type': 'application/fhir+json' };
    const declared = await send(open, { method: 'PUT', path: 'Patient/oversized', headers: json, body: big });
    expect(declared.status).toBe(413);
    await expectStillServing(open, 'oversized body, Content-Length declared', declared.status);

    const chunks = Array.from({ length: Math.ceil(big.length / 16_384) }, (_, i) => big.subarray(i * 16_384, (i + 1) * 16_384));
    const chunked = await send(open, { method: 'PUT', path: 'Patient/oversized', headers: json, chunks });
    expect(chunked.status).toBe(413);
    expect(chunked.body.resourceType).toBe('OperationOutcome');
    await expectStillServing(open, 'oversized body, chunked', chunked.status);

    // 64 MiB announced and never sent: answered at once, and the connection closed.
    const huge = rawExchange(open, `PUT ${BASE}/Patient/oversized HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/fhir+json\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n`);
    const hugeAnswer = await huge.answer;
    expect(hugeAnswer).toMatchObject({ status: 413, closing: true });
    await huge.closed;
    await expectStillServing(open, 'Content-Length 64 MiB, body never sent', hugeAnswer.status);
    expect((await send(open, { path: 'Patient/oversized' })).status).toBe(404);
  });

  test("a slow body is cut off with 408, and other clients' reads and writes complete before it", async () => {
    // Within the size limit, so that the server waits for the rest of it.
    const slow = rawExchange(
      open,
      `POST ${BASE}/Patient HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/fhir+json\r\nContent-Length: ${MAX_BODY_BYTES / 2}\r\nExpect: 100-continue\r\n\r\n`,
      { body: '{"resourceType":"Patient",', dribble: true },
    );
    await slow.continued;
    const others = Promise.all([
      send(open, { path: `Patient/${seeded.id}` }),
      send(open, { method: 'POST', path: 'Patient', headers: { 'Content-Type': 'application/fhir+json' }, body: JSON.stringify({ resourceType: 'Patient' }) }),
    ]);
    const first = await Promise.race([others.then(() => 'others'), slow.answer.then(() => 'slow')]);
    expect(first).toBe('others');
    const [read, write] = await others;
    expect(read.status).toBe(200);
    expect(write.status).toBe(201);
    const answer = await slow.answer;
    expect(answer).toMatchObject({ status: 408, closing: true });
    expect(answer.body?.issue?.[0]?.code).toBe('timeout');
    await slow.closed;
    await expectStillServing(open, 'slow body (1 byte / 50 ms), GET and POST meanwhile', answer.status);
  });

  test('slow headers are cut off with 408', async () => {
    const slow = rawExchange(open, `GET ${BASE}/Patient/${seeded.id} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `, { dribble: true });
    const answer = await slow.answer;
    expect(answer).toMatchObject({ status: 408, closing: true });
    await slow.closed;
    await expectStillServing(open, 'slow headers (1 byte / 50 ms)', answer.status);
  });

  test('with a token: missing or wrong credentials get 401 with WWW-Authenticate, except GET /metadata', async () => {
    const attempts: Record<string, string>[] = [{}, { Authorization: `Bearer ${TOKEN}x` }, { Authorization: 'Bearer ' }, { Authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` }];
    for (const headers of attempts) {
      for (const spec of [
        { path: `Patient/${seeded.id}`, headers },
        { method: 'POST', path: '', headers: { ...headers, 'Content-Type': 'application/fhir+json' }, body: JSON.stringify(transaction('seeded')) },
      ]) {
        const answer = await send(guarded, spec);
        expect(answer.status).toBe(401);
        expect(answer.headers['www-authenticate']).toMatch(/^Bearer realm="fhir"/);
        expect(answer.body.resourceType).toBe('OperationOutcome');
        await expectStillServing(guarded, 'token configured: none, wrong, empty, Basic (read and transaction)', answer.status);
      }
    }
    expect((await send(guarded, { path: 'Patient/planted', headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    const metadata = await send(guarded, { path: 'metadata' });
    expect(metadata.status).toBe(200);
    expect(metadata.body.resourceType).toBe('CapabilityStatement');
  });

  test("the worker's FHIR client reaches a token-protected server with FHIR_AUTH=bearer, and is refused without", async () => {
    const withToken = createFhirClient({ baseUrl: guarded.baseUrl, auth: { kind: 'bearer', token: TOKEN } });
    expect((await withToken.readResource('Patient', 'seeded')).id).toBe('seeded');
    const without = createFhirClient({ baseUrl: guarded.baseUrl, auth: { kind: 'none' } });
    const refused = await without.readResource('Patient', 'seeded').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(FhirHttpError);
    expect((refused as FhirHttpError).status).toBe(401);
  });

  test('binding beyond loopback: refused without a token; with one, configured host names are served', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hostile-bind-'));
    const refused = await startFhirServer({ dataDir, host: '0.0.0.0' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).message).toBe('configuration error: FHIR_SERVER_TOKEN: is required to listen on 0.0.0.0 (not a loopback address)');
    record('bind 0.0.0.0 without FHIR_SERVER_TOKEN', 'start refused', await stillServes(open));

    const wide = await startFhirServer({ dataDir, host: '0.0.0.0', token: TOKEN, hostnames: ['fhir.internal'] });
    try {
      expect(wide.baseUrl).toBe(`http://fhir.internal:${wide.port}/fhir/R4`);
      const auth = { Authorization: `Bearer ${TOKEN}` };
      expect((await send(wide, { path: 'metadata', host: `fhir.internal:${wide.port}` })).status).toBe(200);
      expect((await send(wide, { path: 'Patient', host: 'FHIR.internal', headers: auth })).status).toBe(200);
      expect((await send(wide, { path: 'Patient', host: 'elsewhere.internal', headers: auth })).status).toBe(421);
    } finally {
      await wide.stop();
    }
  });
});
