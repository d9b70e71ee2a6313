/**
 * 200 malformed or hostile notifications: every one a 4xx with an OperationOutcome, and the intake
 * still up and handing good events to Temporal afterwards (the real dev server; no worker needed:
 * signal-with-start is accepted by the server itself). Then the hostile requests by kind (deep
 * nesting, oversized, wrong Content-Type, bad or missing token, foreign Host, slow body), a normal
 * notification served after each kind, printed as a table; and `stop()` with requests in flight.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFhirServer, type RunningFhirServer } from '../../fhir-server/server.ts';
import { signatureOf } from '../../intake/authenticate.ts';
import { episodeDefaultsSchema } from '../../domain/episode/episode-defaults.ts';
import { startIntakeServer, type RunningIntakeServer } from '../../intake/http-server.ts';
import { silentLog } from '../../platform/logger.ts';
import { startTemporalDevServer, type RunningDevServer } from '../../local-stack/dev-server.ts';
import { createFhirClient } from '../../platform/fhir-client.ts';
import { episodeWorkflowId } from '../../domain/episode/input.ts';
import { backportBundle, notifyAsMedplum, post, type Sent } from './fhir-sender.ts';
import { openRawRequest } from './raw-http.ts';
import { V3_ACT_CODE } from '../../domain/vocabulary.ts';

const SECRET = 'hostile-test-secret-0123456789';
/** Short, so that the slow-body request is answered within the test; far above what a local sender needs. */
const BODY_TIMEOUT_MS = 2_000;

let temporal: RunningDevServer;
let fhirServer: RunningFhirServer;
let client: Client;
let intake: RunningIntakeServer;
let delivery: Parameters<typeof startIntakeServer>[0]['delivery'];

beforeAll(async () => {
  temporal = await startTemporalDevServer({ ui: false });
  fhirServer = await startFhirServer({ dataDir: mkdtempSync(join(tmpdir(), 'intake-hostile-')) });
  client = new Client({ connection: await Connection.connect({ address: temporal.address }), namespace: temporal.namespace });
  delivery = {
    temporal: client,
    fhir: createFhirClient({ baseUrl: fhirServer.baseUrl, auth: { kind: 'none' } }),
    taskQueue: 'nobody-polls-this',
    defaults: episodeDefaultsSchema.parse({ supervisor: 'Practitioner/sup' }),
    log: silentLog,
  };
  intake = await startIntakeServer({ delivery, secret: SECRET, bodyTimeoutMs: BODY_TIMEOUT_MS });
});

afterAll(async () => {
  await intake?.stop();
  await client?.connection.close();
  await fhirServer?.stop();
  await temporal?.stop();
});

const meta = { versionId: '1', lastUpdated: '2026-03-02T15:00:00Z' };
const goodEpisode = {
  resourceType: 'EpisodeOfCare',
  id: 'hostile-e1',
  meta,
  status: 'active',
  patient: { reference: 'Patient/p1' },
  managingOrganization: { reference: 'Organization/o1' },
  careManager: { reference: 'Practitioner/s1' },
  period: { start: '2026-03-01' },
};
const goodEncounter = {
  resourceType: 'Encounter',
  id: 'hostile-c1',
  meta,
  status: 'finished',
  class: { system: V3_ACT_CODE, code: 'HH' },
  subject: { reference: 'Patient/p1' },
  period: { start: '2026-03-02T10:00:00Z' },
};

type Attempt = { name: string; expected: number; send: () => Promise<Sent> };

const signed = (channel: string, body: string | Buffer): Promise<Sent> =>
  post(`${intake.url}/notify/${channel}`, body, { 'X-Signature': signatureOf(body, SECRET) });
const bearer = (channel: string, body: string): Promise<Sent> => post(`${intake.url}/notify/${channel}`, body, { Authorization: `Bearer ${SECRET}` });

function hostileAttempts(): Attempt[] {
  const attempts: Attempt[] = [];
  const add = (name: string, expected: number, send: () => Promise<Sent>) => attempts.push({ name, expected, send });

  // Not JSON, or JSON that is not a resource.
  const notJson = ['{', '}', '{"resourceType":', 'resourceType=Encounter', '<Encounter/>', '\u0000\u0001\u0002', '{"a":1,}', "{'resourceType':'Encounter'}", 'NaN', '\ud800'];
  for (const body of notJson) add(`not JSON: ${JSON.stringify(body)}`, 400, () => signed('Encounter', body));
  const notResources = ['null', '[]', '"Encounter"', '42', 'true', '{}', '{"resourceType":5}', '{"resourceType":null}', '[{"resourceType":"Encounter"}]', '{"id":"x"}'];
  for (const body of notResources) add(`not a resource: ${body}`, 400, () => signed('Encounter', body));

  // Resource types we do not watch, or not the channel's.
  for (const type of ['Patient', 'Observation', 'Foo', 'OperationOutcome', 'Subscription', 'Binary', 'constructor', '__proto__', 'Task', 'EpisodeOfCare']) {
    add(`wrong resourceType ${type} on Encounter`, 400, () => signed('Encounter', JSON.stringify({ ...goodEncounter, resourceType: type })));
  }
  add('Encounter on the Task channel', 400, () => signed('Task', JSON.stringify(goodEncounter)));

  // Missing or wrong fields.
  const badIds = [undefined, '', '../../etc/passwd', 'a'.repeat(65), 'spaces in id', 7, { $ne: null }, ['x'], 'Encounter/1', 'é'];
  for (const id of badIds) add(`bad id ${JSON.stringify(id)}`, 400, () => signed('Encounter', JSON.stringify({ ...goodEncounter, id })));
  const badFields: Record<string, unknown>[] = [
    { status: 5 },
    { status: 'done-ish' },
    { class: 'HH' },
    { class: [{ code: 'HH' }] },
    { subject: 'Patient/p1' },
    { subject: [{ reference: 'Patient/p1' }] },
    { period: '2026-03-02' },
    { period: { start: 'yesterday' } },
    { period: { start: 20260302 } },
    { episodeOfCare: 'EpisodeOfCare/e1' },
    { episodeOfCare: { reference: 'EpisodeOfCare/e1' } },
    { meta: 'v1' },
    { meta: { versionId: 3 } },
    { meta: { lastUpdated: 'now' } },
    { type: 'face-to-face' },
    { type: [{ coding: 'face-to-face' }] },
    { unknownElement: true },
    { extension: 'x' },
    { status: undefined },
    { class: undefined },
  ];
  for (const fields of badFields) add(`bad Encounter fields ${Object.keys(fields).join(',')}`, 400, () => signed('Encounter', JSON.stringify({ ...goodEncounter, ...fields })));
  const badEpisodes: Record<string, unknown>[] = [
    { status: 'open' },
    { patient: 'Patient/p1' },
    { careManager: ['Practitioner/s1'] },
    { period: { start: 12 } },
    { status: undefined },
    { patient: undefined },
    { managingOrganization: 'Organization/o1' },
    { team: 'x' },
    { diagnosis: [{ condition: 'x' }] },
    { statusHistory: 'active' },
  ];
  for (const fields of badEpisodes) add(`bad EpisodeOfCare fields ${Object.keys(fields).join(',')}`, 400, () => signed('EpisodeOfCare', JSON.stringify({ ...goodEpisode, ...fields })));

  // Bundles that are not subscription notifications, or malformed ones.
  const bundle = backportBundle([goodEncounter as Resource]) as { entry: { resource: { parameter: { name: string }[] } }[] };
  const withStatus = (parameter: unknown) => JSON.stringify({ ...bundle, entry: [{ resource: { resourceType: 'Parameters', parameter } }, ...bundle.entry.slice(1)] });
  const badBundles: string[] = [
    JSON.stringify({ ...bundle, type: 'searchset' }),
    JSON.stringify({ ...bundle, type: 'transaction' }),
    JSON.stringify({ ...bundle, type: undefined }),
    JSON.stringify({ ...bundle, entry: [] }),
    JSON.stringify({ ...bundle, entry: undefined }),
    JSON.stringify({ ...bundle, entry: 'x' }),
    JSON.stringify({ ...bundle, entry: [{ resource: goodEncounter }] }),
    JSON.stringify({ ...bundle, entry: [{}] }),
    JSON.stringify({ ...bundle, entry: [{ resource: 'Parameters' }] }),
    JSON.stringify({ ...bundle, entry: [bundle.entry[0], 'x'] }),
    JSON.stringify({ ...bundle, entry: [bundle.entry[0], { resource: 'x' }] }),
    JSON.stringify({ ...bundle, entry: [bundle.entry[0], { resource: { ...goodEncounter, status: 5 } }] }),
    JSON.stringify({ ...bundle, entry: [bundle.entry[0], { resource: { ...goodEncounter, resourceType: 'Patient' } }] }),
    withStatus(undefined),
    withStatus('x'),
    withStatus([{ name: 'type', valueCode: 'mystery' }]),
    withStatus([]),
    withStatus([{ name: 'type', valueCode: 'event-notification' }, { name: 'notification-event', part: [{ name: 'focus', valueReference: { reference: 'not a reference' } }] }]),
    withStatus([{ name: 'type', valueCode: 'event-notification' }, { name: 'notification-event', part: [{ name: 'focus', valueReference: { reference: 42 } }] }]),
    withStatus([{ name: 'type', valueCode: 'event-notification' }, { name: 'notification-event', part: [{ name: 'focus', valueReference: { reference: 'Patient/p1' } }] }]),
    withStatus([
      { name: 'type', valueCode: 'event-notification' },
      ...Array.from({ length: 101 }, (_, i) => ({ name: 'notification-event', part: [{ name: 'focus', valueReference: { reference: `Encounter/e${i}` } }] })),
    ]),
  ];
  badBundles.forEach((body, index) => add(`bad notification Bundle #${index}`, index === badBundles.length - 1 ? 413 : 400, () => bearer('topic', body)));
  add('notification for a foreign topic', 404, () =>
    bearer('topic', withStatus([{ name: 'type', valueCode: 'event-notification' }, { name: 'topic', valueCanonical: 'http://evil.example.org/SubscriptionTopic/x' }])),
  );

  // Oversized bodies: declared and streamed.
  const huge = Buffer.alloc(10 * 1024 * 1024, 'a');
  for (let i = 0; i < 5; i++) add(`10 MB body #${i}`, 413, () => signed('Encounter', huge));
  add('10 MB JSON resource', 413, () => signed('Encounter', JSON.stringify({ ...goodEncounter, text: { status: 'generated', div: 'x'.repeat(10 * 1024 * 1024) } })));

  // Authentication.
  const body = JSON.stringify(goodEncounter);
  const wrongAuth: Record<string, string>[] = [
    {},
    { 'X-Signature': '' },
    { 'X-Signature': 'deadbeef' },
    { 'X-Signature': signatureOf(body, 'another-secret') },
    { 'X-Signature': signatureOf(`${body} `, SECRET) },
    { 'X-Signature': signatureOf(body, SECRET).slice(0, -1) },
    { Authorization: 'Bearer' },
    { Authorization: 'Bearer wrong-secret' },
    { Authorization: `Basic ${Buffer.from(`x:${SECRET}`).toString('base64')}` },
    { Authorization: `Bearer ${SECRET}x` },
    { Authorization: `bearer${SECRET}` },
    { 'X-Intake-Secret': SECRET },
  ];
  wrongAuth.forEach((headers, index) => add(`bad authentication #${index}`, 401, () => post(`${intake.url}/notify/Encounter`, body, headers)));
  for (let i = 0; i < 10; i++) {
    add(`random signature #${i}`, 401, () => post(`${intake.url}/notify/Encounter`, body, { 'X-Signature': signatureOf(String(Math.random()), SECRET) }));
  }

  // Unknown subscriptions and endpoints.
  for (const path of ['notify/Patient', 'notify/foo', 'notify', '', 'fhir/R4/Encounter', 'notify/Encounter/x', 'notify/Encounter/Encounter/1/extra', 'notify/..%2F..%2Fetc', 'notify/ENCOUNTER', 'notify/topic2']) {
    add(`unknown endpoint /${path}`, 404, () => post(`${intake.url}/${path}`, body, { 'X-Signature': signatureOf(body, SECRET) }));
  }
  add('id-only on a type we do not watch', 400, () => signed('Encounter/Patient/p1', ''));
  add('id-only with a bad id', 404, () => signed('Encounter/Encounter/../x', ''));
  for (const method of ['GET', 'DELETE', 'PATCH']) {
    add(`${method} on a notification endpoint`, 405, async () => {
      const response = await fetch(`${intake.url}/notify/Encounter`, { method });
      return { status: response.status, body: (await response.json()) as Sent['body'] };
    });
  }
  add('empty body without a poller', 400, () => signed('Encounter', ''));

  // Fill up to 200 with structure mutations of a good resource.
  const mutations = [null, 0, '', [], {}, 'x'.repeat(300), -1, true];
  const keys = ['status', 'class', 'subject', 'period', 'episodeOfCare', 'meta', 'type'];
  for (let i = 0; attempts.length < 200; i++) {
    const key = keys[i % keys.length] as string;
    const value = mutations[Math.floor(i / keys.length) % mutations.length];
    const mutated = JSON.stringify({ ...goodEncounter, [key]: value });
    add(`mutation ${key}=${JSON.stringify(value)?.slice(0, 20)}`, 400, () => signed('Encounter', mutated));
  }
  return attempts;
}

test('200 malformed or hostile payloads: every one a 4xx with an OperationOutcome; good events still served', async () => {
  const attempts = hostileAttempts();
  expect(attempts).toHaveLength(200);
  const failures: string[] = [];
  for (const attempt of attempts) {
    const sent = await attempt.send();
    const ok = sent.status === attempt.expected && sent.body.resourceType === 'OperationOutcome';
    if (!ok) failures.push(`${attempt.name}: HTTP ${sent.status} ${sent.body.resourceType ?? '(no OperationOutcome)'}, expected ${attempt.expected}`);
  }
  expect(failures).toEqual([]);

  // Still up: a good notification is handed to Temporal, which starts the episode.
  const good = await notifyAsMedplum(intake.url, SECRET, goodEpisode as Resource);
  expect(good.status).toBe(200);
  const description = await client.workflow.getHandle(episodeWorkflowId('EpisodeOfCare/hostile-e1')).describe();
  expect(description.type).toBe('clientEpisode');
  expect((await fetch(`${intake.url}/healthz`)).status).toBe(200);
}, 120_000);

/** A normal notification, as after every kind of hostile request: handed to Temporal. */
async function stillServing(): Promise<boolean> {
  const good = await notifyAsMedplum(intake.url, SECRET, goodEpisode as Resource);
  return good.status === 200 && JSON.stringify(good.body).includes('1 of 1 changes delivered');
}

const levels = 100_000;
const deepArrays = '['.repeat(levels) + ']'.repeat(levels);
const deepEncounter = `${JSON.stringify(goodEncounter).slice(0, -1)},"contained":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`;
const deepBundle = `{"resourceType":"Bundle","type":"history","entry":${'['.repeat(levels)}${']'.repeat(levels)}}`;

async function sendRaw(headers: Record<string, string | number>, body: string, path = '/notify/Encounter'): Promise<Sent> {
  const request = await openRawRequest(intake.url, { path, headers: { 'Content-Length': Buffer.byteLength(body), ...headers } });
  request.write(body);
  return request.answer;
}

test('hostile requests by kind: each its 4xx with an OperationOutcome, and a normal notification served after each kind', async () => {
  const body = JSON.stringify(goodEncounter);
  const episode = JSON.stringify(goodEpisode);
  const hmac = (text: string) => ({ 'X-Signature': signatureOf(text, SECRET) });
  const kinds: { request: string; expected: number; code?: string; sends: (() => Promise<Sent>)[] }[] = [
    {
      request: `deep nesting (${levels.toLocaleString('en-US')} levels: arrays, an Encounter element, a Bundle)`,
      expected: 400,
      // Refused by the depth check before any parse, not by a walk that overflowed.
      code: 'structure',
      sends: [() => signed('Encounter', deepArrays), () => signed('Encounter', deepEncounter), () => bearer('topic', deepBundle)],
    },
    {
      request: 'oversized body (11 MB declared; 5 MB streamed chunked)',
      expected: 413,
      sends: [
        () => signed('Encounter', Buffer.alloc(11 * 1024 * 1024, 'a')),
        async () => {
          const chunk = new Uint8Array(64 * 1024).fill(0x61);
          let sent = 0;
          const stream = new ReadableStream<Uint8Array>({
            pull(controller) {
              if ((sent += chunk.length) > 5 * 1024 * 1024) controller.close();
              else controller.enqueue(chunk);
            },
          });
          const response = await fetch(`${intake.url}/notify/Encounter`, { method: 'POST', headers: { 'content-type': 'application/fhir+json', Authorization: `Bearer ${SECRET}` }, body: stream, duplex: 'half' } as RequestInit);
          return { status: response.status, body: (await response.json()) as Sent['body'] };
        },
      ],
    },
    {
      request: 'wrong Content-Type (text/plain, application/xml, application/fhir+xml, form, multipart, none)',
      expected: 415,
      sends: [
        ...['text/plain', 'application/xml', 'application/fhir+xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'].map(
          (type) => () => post(`${intake.url}/notify/Encounter`, body, { ...hmac(body), 'content-type': type }),
        ),
        () => sendRaw({ Host: 'intake', Connection: 'close', ...hmac(body) }, body),
      ],
    },
    {
      request: 'bad token (wrong secret, secret with a suffix, Basic, HMAC of another key)',
      expected: 401,
      sends: [
        () => post(`${intake.url}/notify/Encounter`, body, { Authorization: 'Bearer not-the-secret-at-all' }),
        () => post(`${intake.url}/notify/Encounter`, body, { Authorization: `Bearer ${SECRET}!` }),
        () => post(`${intake.url}/notify/Encounter`, body, { Authorization: `Basic ${Buffer.from(`intake:${SECRET}`).toString('base64')}` }),
        () => post(`${intake.url}/notify/Encounter`, body, { 'X-Signature': signatureOf(body, 'some-other-key-0123456789') }),
      ],
    },
    {
      request: 'missing token (no header, empty Bearer)',
      expected: 401,
      sends: [() => post(`${intake.url}/notify/Encounter`, body), () => post(`${intake.url}/notify/Encounter`, body, { Authorization: 'Bearer ' })],
    },
    {
      // Not checked on purpose: EHRs reach the intake through names and proxies it cannot know; the secret admits a notification.
      request: 'foreign Host (evil.example.org), signed',
      expected: 200,
      sends: [() => sendRaw({ Host: 'evil.example.org', Connection: 'close', 'Content-Type': 'application/fhir+json', ...hmac(episode) }, episode, '/notify/EpisodeOfCare')],
    },
    {
      request: `slow body (10 of 500 bytes, then nothing; answered after ${BODY_TIMEOUT_MS / 1000} s)`,
      expected: 408,
      sends: [
        async () => {
          const request = await openRawRequest(intake.url, { path: '/notify/Encounter', headers: { Host: 'intake', 'Content-Type': 'application/fhir+json', 'Content-Length': 500, ...hmac(body) } });
          request.write(body.slice(0, 10));
          return request.answer;
        },
      ],
    },
  ];

  const rows: { request: string; count: number; answer: string; stillServing: boolean }[] = [];
  const failures: string[] = [];
  for (const kind of kinds) {
    const answers = new Map<string, number>();
    for (const send of kind.sends) {
      const sent = await send();
      const answer = `${sent.status} ${sent.body.resourceType ?? '(no body)'}${sent.body.issue?.[0]?.code ? ` ${sent.body.issue[0].code}` : ''}`;
      answers.set(answer, (answers.get(answer) ?? 0) + 1);
      const codeOk = !kind.code || sent.body.issue?.[0]?.code === kind.code;
      if (sent.status !== kind.expected || sent.body.resourceType !== 'OperationOutcome' || !codeOk) failures.push(`${kind.request}: ${answer}, expected ${kind.expected}`);
    }
    const serving = await stillServing();
    if (!serving) failures.push(`${kind.request}: not serving afterwards`);
    rows.push({ request: kind.request, count: kind.sends.length, answer: [...answers].map(([answer, count]) => (answers.size > 1 ? `${answer} ×${count}` : answer)).join(', '), stillServing: serving });
  }
  const width = Math.max(...rows.map((row) => row.request.length));
  const answerWidth = Math.max(...rows.map((row) => row.answer.length));
  console.log(
    [
      `${'request'.padEnd(width)} | count | ${'answer'.padEnd(answerWidth)} | still serving`,
      `${'-'.repeat(width)} | ----- | ${'-'.repeat(answerWidth)} | -------------`,
      ...rows.map((row) => `${row.request.padEnd(width)} | ${String(row.count).padStart(5)} | ${row.answer.padEnd(answerWidth)} | ${row.stillServing ? 'yes' : 'NO'}`),
    ].join('\n'),
  );
  expect(failures).toEqual([]);
}, 120_000);

test('stop() lets a request in flight finish with its full answer, refuses new connections, and cuts a stalled one after drainTimeoutMs', async () => {
  const draining = await startIntakeServer({ delivery, secret: SECRET, drainTimeoutMs: 20_000 });
  const episode = JSON.stringify({ ...goodEpisode, id: 'hostile-drain-e1' });
  const inFlight = await openRawRequest(draining.url, {
    path: '/notify/EpisodeOfCare',
    headers: { Host: 'intake', 'Content-Type': 'application/fhir+json', 'Content-Length': Buffer.byteLength(episode), 'X-Signature': signatureOf(episode, SECRET) },
  });
  inFlight.write(episode.slice(0, 40));
  await expect.poll(() => draining.requestsInFlight(), { timeout: 10_000 }).toBe(1);

  const stopped = draining.stop();
  let stopDone = false;
  void stopped.then(() => (stopDone = true));
  await expect(fetch(`${draining.url}/healthz`)).rejects.toThrow();
  expect(stopDone).toBe(false);

  inFlight.write(episode.slice(40));
  const answer = await inFlight.answer;
  expect(answer.status).toBe(200);
  expect(JSON.stringify(answer.body)).toContain('1 of 1 changes delivered');
  await stopped;
  expect((await client.workflow.getHandle(episodeWorkflowId('EpisodeOfCare/hostile-drain-e1')).describe()).type).toBe('clientEpisode');

  // A sender that never finishes its body holds stop() no longer than drainTimeoutMs.
  const bounded = await startIntakeServer({ delivery, secret: SECRET, bodyTimeoutMs: 120_000, drainTimeoutMs: 500 });
  const stalled = await openRawRequest(bounded.url, { path: '/notify/Encounter', headers: { Host: 'intake', 'Content-Type': 'application/fhir+json', 'Content-Length': 500 } });
  stalled.write('{"resourceType"');
  await expect.poll(() => bounded.requestsInFlight(), { timeout: 10_000 }).toBe(1);
  const startedAt = performance.now();
  await bounded.stop();
  expect(performance.now() - startedAt).toBeLessThan(15_000);
  await expect(stalled.answer).rejects.toThrow(/connection closed before a whole answer/);
}, 60_000);
