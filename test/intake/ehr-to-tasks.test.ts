/**
 * The intake end to end, as an EHR would drive it: only FHIR writes to the embedded server, then
 * notifications posted as FHIR servers post them (or nothing, with polling), against the real
 * Temporal dev server and the real care worker. Tests run in order and share the stack.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Encounter, EpisodeOfCare, Organization, Patient, Practitioner, QuestionnaireResponse, Task } from '@medplum/fhirtypes';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { addDays, format, parseISO } from 'date-fns';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { V3_ACT_CODE } from '../../fhir-profiles/canonical.ts';
import { startFhirServer, type RunningFhirServer } from '../../fhir-server/server.ts';
import { episodeDefaultsSchema } from '../../intake/episode-defaults.ts';
import { WATCHED_TYPES } from '../../intake/fhir-change-mapping.ts';
import { startIntakeServer, type RunningIntakeServer } from '../../intake/http-server.ts';
import { silentLog } from '../../intake/log.ts';
import { ensurePolling, requestPoll } from '../../intake/polling.ts';
import { episodeWorkflowId } from '../../workflows/episode/input.ts';
import { getState } from '../../workflows/episode/messages.ts';
import { getPollingState } from '../../workflows/polling/fhir-polling.ts';
import { PatientId } from '../../workflows/search-attributes.ts';
import { freePort, startTemporalDevServer, type RunningDevServer } from '../../local-stack/dev-server.ts';
import { createFhirClient } from '../../worker/fhir-client.ts';
import { createCareWorker } from '../../worker/worker.ts';
import { defaultAgencyPolicy, localDateOf, postHospitalContactDeadline } from '../../workflows/rules/index.ts';
import { TASK_IDENTIFIER_SYSTEM } from '../../workflows/vocabulary.ts';
import { backportBundle, notifyAsBackport, notifyAsMedplum, writeAsEhr } from './fhir-sender.ts';

const TASK_QUEUE = 'care-episodes-intake';
const TIME_ZONE = 'America/Chicago';
const SECRET = 'test-intake-secret-0123456789';
const defaults = episodeDefaultsSchema.parse({ supervisor: 'Practitioner/intake-supervisor' });
const plusDays = (date: string, days: number): string => format(addDays(parseISO(date), days), 'yyyy-MM-dd');
const today = (): string => localDateOf(Date.now(), TIME_ZONE);

let dataDir: string;
let temporalPort: number;
let temporal: RunningDevServer;
let fhirServer: RunningFhirServer;
let workerConnection: NativeConnection;
let worker: Worker;
let workerRun: Promise<void>;
let client: Client;
let intake: RunningIntakeServer;

async function startTemporal(): Promise<RunningDevServer> {
  return startTemporalDevServer({ ui: false, port: temporalPort, dbFile: join(dataDir, 'temporal.sqlite') });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'intake-'));
  temporalPort = await freePort();
  temporal = await startTemporal();
  fhirServer = await startFhirServer({ dataDir: join(dataDir, 'fhir') });
  workerConnection = await NativeConnection.connect({ address: temporal.address });
  const fhir = createFhirClient({ baseUrl: fhirServer.baseUrl, auth: { kind: 'none' } });
  worker = await createCareWorker({ connection: workerConnection, namespace: temporal.namespace, taskQueue: TASK_QUEUE, fhir });
  workerRun = worker.run();
  client = new Client({ connection: await Connection.connect({ address: temporal.address }), namespace: temporal.namespace });
  intake = await startIntakeServer({
    delivery: { temporal: client, fhir, taskQueue: TASK_QUEUE, defaults, log: silentLog },
    secret: SECRET,
    pollNow: () => requestPoll(client, 'ehr'),
  });
});

afterAll(async () => {
  await intake?.stop();
  worker?.shutdown();
  await workerRun;
  await workerConnection?.close();
  await client?.connection.close();
  await fhirServer?.stop();
  await temporal?.stop();
});

interface EhrEpisode {
  episode: EpisodeOfCare;
  stay: Encounter;
  admissionDate: string;
  releaseDate: string;
}

/** Patient, Practitioner, Organization, EpisodeOfCare admitted 3 days ago, an inpatient stay finished yesterday. */
async function writeEpisode(): Promise<EhrEpisode> {
  const base = fhirServer.baseUrl;
  const patient = await writeAsEhr<Patient>(base, { resourceType: 'Patient', active: true });
  const specialist = await writeAsEhr<Practitioner>(base, { resourceType: 'Practitioner', active: true });
  const agency = await writeAsEhr<Organization>(base, { resourceType: 'Organization', active: true });
  const admissionDate = plusDays(today(), -3);
  const releaseDate = plusDays(today(), -1);
  const episode = await writeAsEhr<EpisodeOfCare>(base, {
    resourceType: 'EpisodeOfCare',
    status: 'active',
    patient: { reference: `Patient/${patient.id}` },
    managingOrganization: { reference: `Organization/${agency.id}` },
    careManager: { reference: `Practitioner/${specialist.id}` },
    period: { start: admissionDate },
  });
  const stay = await writeAsEhr<Encounter>(base, {
    resourceType: 'Encounter',
    status: 'finished',
    class: { system: V3_ACT_CODE, code: 'IMP' },
    subject: { reference: `Patient/${patient.id}` },
    episodeOfCare: [{ reference: `EpisodeOfCare/${episode.id}` }],
    period: { start: `${plusDays(today(), -2)}T12:00:00-06:00`, end: `${releaseDate}T12:00:00-06:00` },
  });
  return { episode, stay, admissionDate, releaseDate };
}

async function tasksOf(identifier: string): Promise<Task[]> {
  const response = await fetch(`${fhirServer.baseUrl}/Task?identifier=${encodeURIComponent(`${TASK_IDENTIFIER_SYSTEM}|${identifier}`)}`);
  const bundle = (await response.json()) as { entry?: { resource: Task }[] };
  return (bundle.entry ?? []).map((entry) => entry.resource);
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const taskWith = (identifier: string, ready: (task: Task) => boolean = () => true) =>
  async (): Promise<Task | undefined> => (await tasksOf(identifier)).find(ready);

function expectDue(task: Task, date: string): void {
  expect(localDateOf(Date.parse(task.restriction?.period?.end as string), TIME_ZONE)).toBe(date);
}

async function expectOpenedTasks(ehr: EhrEpisode, timeoutMs: number): Promise<{ cip: Task; postHospital: Task }> {
  const started = Date.now();
  const cip = await waitFor('CIP-INITIAL Task', timeoutMs, taskWith(`${ehr.episode.id}/CIP-INITIAL/1`));
  const postHospital = await waitFor('POST-HOSPITAL-CONTACT Task', timeoutMs - (Date.now() - started), taskWith(`${ehr.episode.id}/POST-HOSPITAL-CONTACT/${ehr.stay.id}`));
  expectDue(cip, plusDays(ehr.admissionDate, 14));
  expectDue(postHospital, postHospitalContactDeadline({ encounterId: ehr.stay.id as string, date: ehr.releaseDate }, defaultAgencyPolicy).dueDate);
  expect(cip.owner?.reference).toBe(ehr.episode.careManager?.reference);
  expect(postHospital.status).toBe('ready');
  return { cip, postHospital };
}

test('through the subscription endpoint: Tasks within 5 s, then a home visit and a crisis plan complete them', async () => {
  const ehr = await writeEpisode();
  const started = Date.now();
  expect((await notifyAsMedplum(intake.url, SECRET, ehr.episode)).status).toBe(200);
  expect((await notifyAsMedplum(intake.url, SECRET, ehr.stay)).status).toBe(200);
  await expectOpenedTasks(ehr, 5_000);
  console.log(`subscription path: both Tasks in FHIR ${Date.now() - started} ms after the first notification`);
  // Started by the intake, the episode looks in the Web UI as one started with episodeStartOptions.
  const description = await client.workflow.getHandle(episodeWorkflowId(`EpisodeOfCare/${ehr.episode.id}`)).describe();
  expect(await description.staticSummary()).toBe(`${ehr.episode.patient?.reference} · EpisodeOfCare/${ehr.episode.id} · admitted ${ehr.admissionDate}`);
  expect(description.typedSearchAttributes.get(PatientId)).toBe(ehr.episode.patient?.reference?.split('/')[1]);

  const visit = await writeAsEhr<Encounter>(fhirServer.baseUrl, {
    resourceType: 'Encounter',
    status: 'finished',
    class: { system: V3_ACT_CODE, code: 'HH' },
    subject: ehr.episode.patient,
    episodeOfCare: [{ reference: `EpisodeOfCare/${ehr.episode.id}` }],
    period: { start: new Date(Date.now() - 3_600_000).toISOString(), end: new Date().toISOString() },
  });
  expect((await notifyAsBackport(intake.url, SECRET, backportBundle([visit]))).status).toBe(200);
  const met = await waitFor(
    'POST-HOSPITAL-CONTACT completed',
    5_000,
    taskWith(`${ehr.episode.id}/POST-HOSPITAL-CONTACT/${ehr.stay.id}`, (task) => task.status === 'completed'),
  );
  expect(met.output?.[0]?.valueReference?.reference).toBe(`Encounter/${visit.id}`);

  const example = JSON.parse(
    readFileSync(new URL('../../fhir-profiles/package/examples/QuestionnaireResponse-example-crisis-intervention-plan.json', import.meta.url), 'utf8'),
  ) as QuestionnaireResponse;
  const plan = await writeAsEhr<QuestionnaireResponse>(fhirServer.baseUrl, {
    ...example,
    id: undefined,
    subject: ehr.episode.patient,
    author: ehr.episode.careManager,
    authored: new Date().toISOString(),
  });
  // id-only this time: the intake reads the response itself.
  expect((await notifyAsBackport(intake.url, SECRET, backportBundle([plan], { idOnly: true }))).status).toBe(200);
  const cip = await waitFor('CIP-INITIAL completed', 5_000, taskWith(`${ehr.episode.id}/CIP-INITIAL/1`, (task) => task.status === 'completed'));
  expect(cip.output?.[0]?.valueReference?.reference).toBe(`QuestionnaireResponse/${plan.id}`);
});

test('the same notifications twice and out of order: no duplicate Task, no error', async () => {
  const ehr = await writeEpisode();
  const sends = [
    () => notifyAsBackport(intake.url, SECRET, backportBundle([ehr.stay], { idOnly: true })),
    () => notifyAsMedplum(intake.url, SECRET, ehr.stay),
    () => notifyAsMedplum(intake.url, SECRET, ehr.episode),
    () => notifyAsBackport(intake.url, SECRET, backportBundle([ehr.stay, ehr.episode])),
    () => notifyAsMedplum(intake.url, SECRET, ehr.episode),
  ];
  const statuses = await Promise.all([...sends, ...sends].map((send) => send().then((sent) => sent.status)));
  expect(statuses).toEqual(statuses.map(() => 200));
  await expectOpenedTasks(ehr, 5_000);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await tasksOf(`${ehr.episode.id}/CIP-INITIAL/1`)).toHaveLength(1);
  expect(await tasksOf(`${ehr.episode.id}/POST-HOSPITAL-CONTACT/${ehr.stay.id}`)).toHaveLength(1);
});

test('with polling only (default 10 s interval) the episode and its Tasks appear within 30 s', { timeout: 120_000 }, async () => {
  const workflowId = await ensurePolling(client, TASK_QUEUE, { source: 'ehr', resourceTypes: [...WATCHED_TYPES], intervalMs: 10_000, episodeDefaults: defaults });
  // Written after the first poll, so that the interval (not the first read) brings it in.
  const polling = client.workflow.getHandle(workflowId);
  await waitFor('first poll', 30_000, async () => ((await polling.query(getPollingState)).polls >= 1 ? true : undefined));
  const ehr = await writeEpisode();
  const started = Date.now();
  await expectOpenedTasks(ehr, 30_000);
  console.log(`polling path: both Tasks in FHIR ${Date.now() - started} ms after the EHR's last write`);

  // Polling re-reads its own overlap window, and the subscription tests' episodes are there: still one Task per requirement.
  const all = (await (await fetch(`${fhirServer.baseUrl}/Task?_count=1000`)).json()) as { entry?: { resource: Task }[] };
  const identifiers = (all.entry ?? []).map((entry) => entry.resource.identifier?.[0]?.value);
  expect(new Set(identifiers).size).toBe(identifiers.length);
  // Polling also reads back the worker's own Task writes (meta.source): none becomes an episode event.
  const polls = (await polling.query(getPollingState)).polls;
  await waitFor('a poll after the Task writes', 30_000, async () => ((await polling.query(getPollingState)).polls > polls + 1 ? true : undefined));
  const state = await client.workflow.getHandle(episodeWorkflowId(`EpisodeOfCare/${ehr.episode.id}`)).query(getState);
  expect(state.seenEventIds.filter((eventId) => eventId.startsWith('Task/'))).toEqual([]);
  // The next test shows redelivery on its own.
  await client.workflow.getHandle('fhir-polling-ehr').terminate('test done');
});

test('with Temporal stopped the endpoint answers 503; after restart the redelivered events take effect', async () => {
  const ehr = await writeEpisode();
  await temporal.stop();
  const refused = await notifyAsMedplum(intake.url, SECRET, ehr.episode);
  expect(refused.status).toBe(503);
  expect(refused.body.resourceType).toBe('OperationOutcome');

  temporal = await startTemporal();
  // The FHIR server redelivers until it gets a 2xx.
  await waitFor('redelivery accepted', 30_000, async () => ((await notifyAsMedplum(intake.url, SECRET, ehr.episode)).status === 200 ? true : undefined));
  await waitFor('redelivery accepted', 30_000, async () => ((await notifyAsMedplum(intake.url, SECRET, ehr.stay)).status === 200 ? true : undefined));
  await expectOpenedTasks(ehr, 30_000);
}, 120_000);
