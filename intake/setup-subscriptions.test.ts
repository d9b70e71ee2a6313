import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subscription } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFhirServer, type RunningFhirServer } from '../fhir-server/server.ts';
import { createFhirClient } from '../platform/fhir-client.ts';
import { describeOutcome, type SetupOutcome, setUpSubscriptions } from './setup-subscriptions.ts';
import { desiredSubscriptions } from '../domain/fhir/subscriptions.ts';

let server: RunningFhirServer;
beforeAll(async () => {
  server = await startFhirServer({ dataDir: mkdtempSync(join(tmpdir(), 'subscriptions-')) });
});
afterAll(() => server?.stop());

const plan = { intakeUrl: 'http://intake.example.org', secret: 'subscription-secret-0123456789' };

test('R4 criteria Subscriptions: created once, unchanged the second time, updated when the secret changes', async () => {
  const fhir = createFhirClient({ baseUrl: server.baseUrl, auth: { kind: 'none' } });
  const desired = desiredSubscriptions({ ...plan, mode: 'r4' });
  const created = await setUpSubscriptions(fhir, desired);
  expect(created.map((o) => [o.watches, o.outcome])).toEqual([
    ['EpisodeOfCare', 'created'],
    ['Encounter', 'created'],
    ['QuestionnaireResponse', 'created'],
    ['Task', 'created'],
  ]);
  // HAPI (HAPI-0014) refuses criteria that are not `{Resource Type}?[params]`.
  for (const subscription of desired) expect(subscription.criteria).toMatch(/^[A-Z][A-Za-z]+\?[a-z_-]+=.+/);
  expect((await setUpSubscriptions(fhir, desired)).map((o) => o.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  const rotated = desiredSubscriptions({ ...plan, secret: 'another-secret-0123456789', mode: 'r4' });
  expect((await setUpSubscriptions(fhir, rotated.slice(0, 1))).map((o) => o.outcome)).toEqual(['updated']);
  const stored = await fhir.searchResources('Subscription', {}, { cache: 'no-cache' });
  expect(stored).toHaveLength(4);
  expect(stored.map((s) => s.channel?.endpoint).sort()).toEqual([
    'http://intake.example.org/notify/Encounter',
    'http://intake.example.org/notify/EpisodeOfCare',
    'http://intake.example.org/notify/QuestionnaireResponse',
    'http://intake.example.org/notify/Task',
  ]);
});

test('a topic-based (Backport) Subscription, and what the server refused', async () => {
  const fhir = createFhirClient({ baseUrl: server.baseUrl, auth: { kind: 'none' } });
  expect((await setUpSubscriptions(fhir, desiredSubscriptions({ ...plan, mode: 'backport' }))).map((o) => o.outcome)).toEqual(['created']);
  const refused = await setUpSubscriptions(fhir, [{ resourceType: 'Subscription', status: 'bogus', channel: { endpoint: 'http://x/notify/y' } } as unknown as Subscription]);
  expect(refused[0]).toMatchObject({ outcome: 'refused', status: 400 });
  expect(describeOutcome(refused[0] as SetupOutcome)).toMatch(/^refused .* http:\/\/x\/notify\/y: HTTP 400 /);
});
