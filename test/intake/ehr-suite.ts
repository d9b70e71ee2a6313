/**
 * The intake end to end, as an EHR would drive it: only FHIR writes to the FHIR server, then
 * notifications posted as FHIR servers post them, the server's own rest-hook Subscriptions, or
 * nothing (polling), against the real Temporal dev server and the real care worker. One suite, run
 * by each server's test file (the embedded server, HAPI FHIR); its tests run in order and share
 * the stack.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Encounter, EpisodeOfCare, MeasureReport, Organization, Patient, Practitioner, QuestionnaireResponse, Resource, Task } from '@medplum/fhirtypes';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { addDays, format, getISODay, getISOWeek, getISOWeekYear, parseISO } from 'date-fns';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { episodeDefaultsSchema } from '../../domain/episode/episode-defaults.ts';
import { WATCHED_TYPES } from '../../domain/fhir/change-mapping.ts';
import { startIntakeServer, type RunningIntakeServer } from '../../intake/http-server.ts';
import { silentLog } from '../../platform/logger.ts';
import { ensurePolling, requestPoll } from '../../intake/polling.ts';
import { episodeWorkflowId } from '../../domain/episode/input.ts';
import { getState } from '../../workflows/episode/messages.ts';
import { episodeStartOptions } from '../../workflows/episode/start-options.ts';
import type { clientEpisode } from '../../workflows/index.ts';
import { runOperatorCli } from '../../intake/operator-cli.ts';
import { parseConfig } from '../../platform/config.ts';
import { describeOutcome, setUpSubscriptions } from '../../intake/setup-subscriptions.ts';
import { desiredSubscriptions } from '../../domain/fhir/subscriptions.ts';
import { getPollingState } from '../../workflows/polling/fhir-polling.ts';
import { PatientId } from '../../workflows/search-attributes.ts';
import { freePort } from '../../platform/free-port.ts';
import { startTemporalDevServer, type RunningDevServer } from '../../local-stack/dev-server.ts';
import { createFhirClient } from '../../platform/fhir-client.ts';
import { createCareWorker } from '../../worker/worker.ts';
import { defaultAgencyPolicy, localDateOf, postHospitalContactDeadline } from '../../domain/rules/index.ts';
import {
  CONTACT_HOURS_MEASURE,
  CONTACT_HOURS_REPORT_IDENTIFIER_SYSTEM,
  CONTACT_KIND_SYSTEM,
  REQUIREMENT_SYSTEM,
  REQUIREMENT_TASK_PROFILE,
  SPECIALIST_REQUIREMENT_SYSTEM,
  SPECIALIST_TASK_IDENTIFIER_SYSTEM,
  SPECIALIST_TASK_STATUS_SYSTEM,
  TASK_IDENTIFIER_SYSTEM,
  TASK_STATUS_SYSTEM,
  TRAVEL_TIME_EXTENSION,
  UCUM,
  V3_ACT_CODE,
} from '../../domain/vocabulary.ts';
import { isBusinessDay } from '../../domain/calendar/business-days.ts';
import { backportBundle, notifyAsBackport, notifyAsMedplum, writeAsEhr } from './fhir-sender.ts';
import { waitFor } from '../wait-for.ts';


/** A FHIR server the suite runs against, and what it does beyond plain REST. */
export interface EhrServer {
  name: string;
  start(dataDir: string): Promise<{ baseUrl: string; stop(): Promise<void> }>;
  /** How long a notification may take to become Tasks on it (HAPI writes more slowly than the embedded server). */
  patienceMs: number;
  /** Refuses a write whose references do not resolve (HAPI's default). */
  checksReferences: boolean;
  /** Runs rest-hook Subscriptions itself. */
  deliversSubscriptions: boolean;
}

export function defineEhrSuite(server: EhrServer): void {
  describe(`the intake and the worker against ${server.name}`, () => {
    const TASK_QUEUE = 'care-episodes-intake';
    const TIME_ZONE = 'America/Chicago';
    const SECRET = 'test-intake-secret-0123456789';
    const defaults = episodeDefaultsSchema.parse({ supervisor: 'Practitioner/intake-supervisor' });
    const plusDays = (date: string, days: number): string => format(addDays(parseISO(date), days), 'yyyy-MM-dd');
    const today = (): string => localDateOf(Date.now(), TIME_ZONE);

    let dataDir: string;
    let temporalPort: number;
    let temporal: RunningDevServer;
    let fhirServer: { baseUrl: string; stop(): Promise<void> };
    let workerConnection: NativeConnection;
    let worker: Worker;
    let workerRun: Promise<void>;
    let client: Client;
    let intake: RunningIntakeServer;

    /** Resources (`Type/id`) the intake was notified of, whatever it made of them. */
    const notified = new Set<string>();
    const note = (_message: string, fields?: Record<string, unknown>) => void (typeof fields?.resource === 'string' && notified.add(fields.resource));
    const recordingLog = { ...silentLog, debug: note, info: note };

    async function startTemporal(): Promise<RunningDevServer> {
      return startTemporalDevServer({ ui: false, port: temporalPort, dbFile: join(dataDir, 'temporal.sqlite') });
    }

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'intake-'));
      temporalPort = await freePort();
      temporal = await startTemporal();
      fhirServer = await server.start(join(dataDir, 'fhir'));
      // The supervisor of the intake's episodes, whom escalation Tasks are owned by.
      await writeAsEhr<Practitioner>(fhirServer.baseUrl, { resourceType: 'Practitioner', id: defaults.supervisor.split('/')[1], active: true });
      workerConnection = await NativeConnection.connect({ address: temporal.address });
      const fhir = createFhirClient({ baseUrl: fhirServer.baseUrl, auth: { kind: 'none' } });
      worker = await createCareWorker({ connection: workerConnection, namespace: temporal.namespace, taskQueue: TASK_QUEUE, fhir });
      workerRun = worker.run();
      client = new Client({ connection: await Connection.connect({ address: temporal.address }), namespace: temporal.namespace });
      intake = await startIntakeServer({
        delivery: { temporal: client, fhir, taskQueue: TASK_QUEUE, defaults, log: recordingLog },
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

    /** Patient, Practitioner, Organization, EpisodeOfCare admitted 3 days ago (or as many as asked), an inpatient stay finished yesterday. */
    async function writeEpisode(admittedDaysAgo = 3): Promise<EhrEpisode> {
      const base = fhirServer.baseUrl;
      const patient = await writeAsEhr<Patient>(base, { resourceType: 'Patient', active: true });
      const specialist = await writeAsEhr<Practitioner>(base, { resourceType: 'Practitioner', active: true });
      const agency = await writeAsEhr<Organization>(base, { resourceType: 'Organization', active: true });
      const admissionDate = plusDays(today(), -admittedDaysAgo);
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

    /** A home visit (face-to-face) of the episode's client, finished just now. */
    function writeHomeVisit(ehr: EhrEpisode): Promise<Encounter> {
      return writeAsEhr<Encounter>(fhirServer.baseUrl, {
        resourceType: 'Encounter',
        status: 'finished',
        class: { system: V3_ACT_CODE, code: 'HH' },
        subject: ehr.episode.patient,
        episodeOfCare: [{ reference: `EpisodeOfCare/${ehr.episode.id}` }],
        period: { start: new Date(Date.now() - 3_600_000).toISOString(), end: new Date().toISOString() },
      });
    }

    async function tasksOf(identifier: string): Promise<Task[]> {
      // HAPI answers a repeated search from its cache for a minute unless asked not to.
      const response = await fetch(`${fhirServer.baseUrl}/Task?identifier=${encodeURIComponent(`${TASK_IDENTIFIER_SYSTEM}|${identifier}`)}`, { headers: { 'cache-control': 'no-cache' } });
      const bundle = (await response.json()) as { entry?: { resource: Task }[] };
      return (bundle.entry ?? []).map((entry) => entry.resource);
    }

    /** The identifier values of the Tasks a search finds, in the server's order. */
    async function worklist(query: string): Promise<string[]> {
      const response = await fetch(`${fhirServer.baseUrl}/Task?${query}&_count=100`, { headers: { accept: 'application/fhir+json', 'cache-control': 'no-cache' } });
      expect(response.status, query).toBe(200);
      const bundle = (await response.json()) as { entry?: { resource: Task }[] };
      return (bundle.entry ?? []).map((entry) => entry.resource.identifier?.find((identifier) => identifier.system === TASK_IDENTIFIER_SYSTEM)?.value ?? '');
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

    test(`through the subscription endpoint: Tasks within ${server.patienceMs / 1000} s, then a home visit and a crisis plan complete them`, async () => {
      const ehr = await writeEpisode();
      const started = Date.now();
      expect((await notifyAsMedplum(intake.url, SECRET, ehr.episode)).status).toBe(200);
      expect((await notifyAsMedplum(intake.url, SECRET, ehr.stay)).status).toBe(200);
      await expectOpenedTasks(ehr, server.patienceMs);
      console.log(`subscription path: both Tasks in FHIR ${Date.now() - started} ms after the first notification`);
      // Started by the intake, the episode looks in the Web UI as one started with episodeStartOptions.
      const description = await client.workflow.getHandle(episodeWorkflowId(`EpisodeOfCare/${ehr.episode.id}`)).describe();
      expect(await description.staticSummary()).toBe(`${ehr.episode.patient?.reference} · EpisodeOfCare/${ehr.episode.id} · admitted ${ehr.admissionDate}`);
      expect(description.typedSearchAttributes.get(PatientId)).toBe(ehr.episode.patient?.reference?.split('/')[1]);

      const visit = await writeHomeVisit(ehr);
      expect((await notifyAsBackport(intake.url, SECRET, backportBundle([visit]))).status).toBe(200);
      const met = await waitFor(
        'POST-HOSPITAL-CONTACT completed',
        server.patienceMs,
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
      const cip = await waitFor('CIP-INITIAL completed', server.patienceMs, taskWith(`${ehr.episode.id}/CIP-INITIAL/1`, (task) => task.status === 'completed'));
      expect(cip.output?.[0]?.valueReference?.reference).toBe(`QuestionnaireResponse/${plan.id}`);
    });

    test("the worklist searches of the package's README find the same Tasks on every server", async () => {
      const ehr = await writeEpisode(20);
      expect((await notifyAsMedplum(intake.url, SECRET, ehr.episode)).status).toBe(200);
      expect((await notifyAsMedplum(intake.url, SECRET, ehr.stay)).status).toBe(200);
      await waitFor('the escalation Task', server.patienceMs * 2, async () => (await worklist(`owner=${defaults.supervisor}&code=${REQUIREMENT_SYSTEM}|ESCALATION&status=ready`)).find((key) => key.startsWith(`${ehr.episode.id}/`)));
      await waitFor('the post-hospital Task', server.patienceMs * 2, taskWith(`${ehr.episode.id}/POST-HOSPITAL-CONTACT/${ehr.stay.id}`));
      const specialist = ehr.episode.careManager?.reference as string;
      const cip = `${ehr.episode.id}/CIP-INITIAL/1`;
      const postHospital = `${ehr.episode.id}/POST-HOSPITAL-CONTACT/${ehr.stay.id}`;
      // Open Tasks of a specialist, soonest due first.
      expect(await worklist(`owner=${specialist}&status=ready,in-progress&_profile=${REQUIREMENT_TASK_PROFILE}&_sort=due-date`)).toEqual([cip, postHospital]);
      expect(await worklist(`owner=${specialist}&business-status=${TASK_STATUS_SYSTEM}|overdue`)).toEqual([cip]);
      // Due by a date: CIP-INITIAL was due six days ago, the post-hospital contact is due within the month.
      expect(await worklist(`owner=${specialist}&status=ready&due-date=le${plusDays(today(), -2)}&_sort=due-date`)).toEqual([cip]);
      expect(await worklist(`owner=${specialist}&status=ready&due-date=le${plusDays(today(), 30)}&_sort=due-date`)).toEqual([cip, postHospital]);
      const escalations = (await worklist(`owner=${defaults.supervisor}&code=${REQUIREMENT_SYSTEM}|ESCALATION&status=ready`)).filter((key) => key.startsWith(`${ehr.episode.id}/`));
      expect(escalations).toEqual([`${ehr.episode.id}/ESCALATION/CIP-INITIAL.1`]);
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
      await expectOpenedTasks(ehr, server.patienceMs);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await tasksOf(`${ehr.episode.id}/CIP-INITIAL/1`)).toHaveLength(1);
      expect(await tasksOf(`${ehr.episode.id}/POST-HOSPITAL-CONTACT/${ehr.stay.id}`)).toHaveLength(1);
    });

    test("a specialist's 31st active episode opens CASELOAD for the supervisor; contacts of known length make last week's MeasureReport and the CLI's hours", { timeout: 600_000 }, async () => {
      const base = fhirServer.baseUrl;
      const specialist = await writeAsEhr<Practitioner>(base, { resourceType: 'Practitioner', active: true });
      const specialistRef = `Practitioner/${specialist.id}`;
      const agency = await writeAsEhr<Organization>(base, { resourceType: 'Organization', active: true });
      const episodes: EpisodeOfCare[] = [];
      for (let n = 0; n < 31; n++) {
        const patient = await writeAsEhr<Patient>(base, { resourceType: 'Patient', active: true });
        episodes.push(
          await writeAsEhr<EpisodeOfCare>(base, {
            resourceType: 'EpisodeOfCare',
            status: 'active',
            patient: { reference: `Patient/${patient.id}` },
            managingOrganization: { reference: `Organization/${agency.id}` },
            careManager: { reference: specialistRef },
            period: { start: plusDays(today(), -20) },
          }),
        );
      }
      for (const episode of episodes) expect((await notifyAsMedplum(intake.url, SECRET, episode)).status).toBe(200);
      const episodeRefs = episodes.map((episode) => `EpisodeOfCare/${episode.id}`);

      const caseloadTask = await waitFor('the CASELOAD Task', server.patienceMs * 6, async () => (await specialistTasksOf(`${specialist.id}/CASELOAD/1`))[0]);
      expect(caseloadTask).toMatchObject({
        status: 'ready',
        owner: { reference: defaults.supervisor },
        for: { reference: specialistRef },
        description: `${specialistRef} carries 31 clients, cap 30: reassign or approve`,
        businessStatus: { coding: [{ system: SPECIALIST_TASK_STATUS_SYSTEM, code: 'over-cap' }] },
        code: { coding: [expect.objectContaining({ system: SPECIALIST_REQUIREMENT_SYSTEM, code: 'CASELOAD' })] },
      });
      expect(episodeRefs).toContain(caseloadTask.focus?.reference);

      // Last week, Monday to Sunday in the agency's zone, reckoned here with date-fns alone.
      const lastMonday = plusDays(today(), -((getISODay(parseISO(today())) - 1) + 7));
      const lastWeek = `${getISOWeekYear(parseISO(lastMonday))}-W${String(getISOWeek(parseISO(lastMonday))).padStart(2, '0')}`;
      const tuesday = plusDays(lastMonday, 1);
      const at = (date: string, time: string) => `${date}T${time}:00-06:00`;
      const contact = (episode: EpisodeOfCare, kind: string, start: string, end: string, extra: Partial<Encounter> = {}) =>
        writeAsEhr<Encounter>(base, {
          resourceType: 'Encounter',
          status: 'finished',
          class: { system: V3_ACT_CODE, code: 'HH' },
          type: [{ coding: [{ system: CONTACT_KIND_SYSTEM, code: kind }] }],
          subject: episode.patient,
          episodeOfCare: [{ reference: `EpisodeOfCare/${episode.id}` }],
          participant: [{ individual: { reference: specialistRef } }],
          period: { start, end },
          ...extra,
        });
      const ucum = (value: number, code: 'min' | 'h') => ({ value, unit: code, system: UCUM, code });
      // 60 min with 30 min of travel, a 45-min collateral call by its period alone, 90 min of crisis work recorded as 1.5 h,
      // and a treatment-team meeting that does not count: 60 + 30 + 45 + 90 = 225 minutes, 3.75 h, from 3 counted contacts.
      const contacts = [
        await contact(episodes[0]!, 'face-to-face', at(tuesday, '10:00'), at(tuesday, '11:30'), { length: ucum(60, 'min'), extension: [{ url: TRAVEL_TIME_EXTENSION, valueDuration: ucum(30, 'min') }] }),
        await contact(episodes[1]!, 'collateral', at(tuesday, '13:00'), at(tuesday, '13:45')),
        await contact(episodes[2]!, 'crisis', at(plusDays(tuesday, 1), '18:00'), at(plusDays(tuesday, 1), '20:00'), { length: ucum(1.5, 'h') }),
        await contact(episodes[3]!, 'treatment-team', at(plusDays(tuesday, 2), '09:00'), at(plusDays(tuesday, 2), '10:00'), { length: ucum(60, 'min') }),
      ];
      for (const encounter of contacts) expect((await notifyAsMedplum(intake.url, SECRET, encounter)).status).toBe(200);
      const businessDays = [0, 1, 2, 3, 4].filter((day) => isBusinessDay(plusDays(lastMonday, day), defaultAgencyPolicy)).length;
      const targetHours = (25 * businessDays) / 5;

      const report = await waitFor('the MeasureReport of last week with every contact', server.patienceMs * 4, async () => {
        const found = (await searchBundle<MeasureReport>(`MeasureReport?identifier=${encodeURIComponent(`${CONTACT_HOURS_REPORT_IDENTIFIER_SYSTEM}|${specialist.id}/${lastWeek}`)}`))[0];
        return found?.group?.[0]?.measureScore?.value === 3.75 ? found : undefined;
      });
      expect(report).toMatchObject({ status: 'complete', type: 'individual', measure: CONTACT_HOURS_MEASURE, subject: { reference: specialistRef } });
      expect(report.group?.[0]?.population?.[0]?.count).toBe(3);
      expect(report.group?.[1]?.measureScore?.value).toBe(targetHours);
      expect(localDateOf(Date.parse(report.period!.start!), TIME_ZONE)).toBe(lastMonday);
      expect(await searchBundle<MeasureReport>(`MeasureReport?subject=${specialistRef}`)).toHaveLength(1);

      const asked = await fetch(`${intake.url}/caseload/${specialist.id}`, { headers: { authorization: `Bearer ${SECRET}` } });
      expect(asked.status).toBe(200);
      const answer = await asked.json();
      expect(answer).toEqual({ specialist: specialistRef, caseload: 31, cap: 30, canAssignOne: false });
      console.log(`${server.name}: GET /caseload/${specialist.id} → ${JSON.stringify(answer)}`);

      const lines: string[] = [];
      const config = parseConfig({ TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: TASK_QUEUE, FHIR_BASE_URL: base, CODEC_LOCAL_KEY_FILE: join(dataDir, 'codec-keys') });
      const cli = (args: string[]) =>
        runOperatorCli(args, { out: (line) => lines.push(line), err: (line) => lines.push(line), config: () => config, episodeDefaults: () => defaults, pollingSource: () => 'ehr', agencyPolicy: () => defaults.policy });
      expect(await cli(['caseload', specialist.id as string, '--json'])).toBe(0);
      const summary = JSON.parse(lines.join('\n')) as { caseload: number; cap: number; episodes: string[]; weeks: { week: string; start: string; contactHours: number; targetHours: number }[] };
      expect(summary).toMatchObject({ specialist: specialistRef, caseload: 31, cap: 30 });
      expect([...summary.episodes].sort()).toEqual([...episodeRefs].sort());
      expect(summary.weeks.find((week) => week.week === lastWeek)).toEqual({ week: lastWeek, start: lastMonday, contactHours: 3.75, targetHours });
      console.log(`${server.name}: CASELOAD ${caseloadTask.description}; ${lastWeek}: ${report.group?.[0]?.measureScore?.value} h of ${targetHours} h target; CLI weeks ${JSON.stringify(summary.weeks)}`);
    });

    async function searchBundle<T extends Resource>(query: string): Promise<T[]> {
      const response = await fetch(`${fhirServer.baseUrl}/${query}`, { headers: { accept: 'application/fhir+json', 'cache-control': 'no-cache' } });
      expect(response.status, query).toBe(200);
      return (((await response.json()) as { entry?: { resource: T }[] }).entry ?? []).map((entry) => entry.resource);
    }

    const specialistTasksOf = (key: string) => searchBundle<Task>(`Task?identifier=${encodeURIComponent(`${SPECIALIST_TASK_IDENTIFIER_SYSTEM}|${key}`)}`);

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
      const all = (await (await fetch(`${fhirServer.baseUrl}/Task?_count=1000`, { headers: { 'cache-control': 'no-cache' } })).json()) as { entry?: { resource: Task }[] };
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

    test.runIf(server.checksReferences)(
      'a Task the server refuses (its owner Practitioner missing): the episode runs on, its other Tasks are written, getState and care-episodes show give the status and code, and the Task is written once the Practitioner exists',
      { timeout: 300_000 },
      async () => {
        // Admitted 20 days ago: CIP-INITIAL is overdue at the start, so it is escalated to a supervisor the server does not know.
        const ehr = await writeEpisode(20);
        const supervisor = `Practitioner/sup-${ehr.episode.id}`;
        const input = {
          patient: ehr.episode.patient?.reference as string,
          episodeOfCare: `EpisodeOfCare/${ehr.episode.id}`,
          specialist: ehr.episode.careManager?.reference as string,
          supervisor,
          agency: ehr.episode.managingOrganization?.reference as string,
          admissionDate: ehr.admissionDate,
        };
        const handle = await client.workflow.start<typeof clientEpisode>('clientEpisode', episodeStartOptions(input, TASK_QUEUE));
        const escalation = async () => Object.values((await handle.query(getState)).requirements).find((requirement) => requirement.code === 'ESCALATION');
        const refused = await waitFor('the escalation refused', 60_000, async () => ((await escalation())?.writeFailure ? escalation() : undefined));
        console.log(`${server.name}: escalation write refused with HTTP ${refused!.writeFailure!.status} ${refused!.writeFailure!.code}`);
        expect(refused!.writeFailure).toMatchObject({ status: 400, attempts: 1 });
        expect(refused!.writeFailure!.code).toMatch(/^[a-z-]+$/);
        expect((await handle.describe()).status.name).toBe('RUNNING');
        const cip = await waitFor('CIP-INITIAL Task', 30_000, taskWith(`${ehr.episode.id}/CIP-INITIAL/1`));
        expect(cip.businessStatus?.coding?.[0]?.code).toBe('overdue');

        const lines: string[] = [];
        const config = parseConfig({ TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: TASK_QUEUE, FHIR_BASE_URL: fhirServer.baseUrl, CODEC_LOCAL_KEY_FILE: join(dataDir, 'codec-keys') });
        const shown = await runOperatorCli(['show', ehr.episode.id as string], {
          out: (line) => lines.push(line),
          err: (line) => lines.push(line),
          config: () => config,
          episodeDefaults: () => defaults,
          pollingSource: () => 'ehr',
          agencyPolicy: () => defaults.policy,
        });
        expect(shown).toBe(0);
        const line = lines.find((each) => each.includes(refused!.key));
        console.log(`care-episodes show: ${line}`);
        expect(line).toContain(`not written: HTTP 400 ${refused!.writeFailure!.code}, 1 attempt since`);

        await writeAsEhr<Practitioner>(fhirServer.baseUrl, { resourceType: 'Practitioner', id: supervisor.split('/')[1], active: true });
        // The first retry is a minute after the refusal.
        const written = await waitFor('the escalation written', 180_000, async () => {
          const current = await escalation();
          return current?.taskId && !current.writeFailure ? current : undefined;
        });
        const [task] = await tasksOf(`${ehr.episode.id}/ESCALATION/${refused!.cycle.replaceAll('/', '.')}`);
        expect(task).toMatchObject({ id: written.taskId, owner: { reference: supervisor }, status: 'ready' });
        expect(task?.partOf?.[0]?.reference).toBe(`Task/${cip.id}`);
        await handle.terminate('test done');
      },
    );

    test.runIf(server.deliversSubscriptions)(
      "with the Subscriptions `npm run subscriptions -- --mode r4` creates and polling off, the server's own notifications bring the EHR's writes in",
      { timeout: 300_000 },
      async () => {
        const fhir = createFhirClient({ baseUrl: fhirServer.baseUrl, auth: { kind: 'none' } });
        const outcomes = await setUpSubscriptions(fhir, desiredSubscriptions({ intakeUrl: intake.url, secret: SECRET, mode: 'r4' }));
        for (const outcome of outcomes) console.log(`${server.name}: ${describeOutcome(outcome)}`);
        expect(outcomes.map((outcome) => outcome.outcome)).toEqual(WATCHED_TYPES.map(() => 'created'));
        // The server activates them in the background; a write before that is not delivered.
        await waitFor('every Subscription active', 120_000, async () => {
          const active = await fhir.searchResources('Subscription', { status: 'active' }, { cache: 'no-cache' });
          return active.length >= WATCHED_TYPES.length ? true : undefined;
        });

        // Active is not yet matching: until the server's subscription registry has them, writes go
        // unnotified. Canary Encounters (no patient: the intake skips them) until one is notified.
        const canaries: string[] = [];
        let lastCanaryAt = 0;
        await waitFor('a canary Encounter notified', 240_000, async () => {
          if (canaries.some((canary) => notified.has(canary))) return true;
          if (Date.now() - lastCanaryAt > 5_000) {
            lastCanaryAt = Date.now();
            const canary = await writeAsEhr<Encounter>(fhirServer.baseUrl, { resourceType: 'Encounter', status: 'planned', class: { system: V3_ACT_CODE, code: 'AMB' } });
            canaries.push(`Encounter/${canary.id}`);
          }
          return undefined;
        });
        console.log(`${server.name}: subscriptions matching after ${canaries.length} canary write(s)`);

        const ehr = await writeEpisode();
        const started = Date.now();
        await expectOpenedTasks(ehr, 120_000);
        console.log(`${server.name} subscriptions: both Tasks in FHIR ${Date.now() - started} ms after the EHR's last write`);
        const visit = await writeHomeVisit(ehr);
        const met = await waitFor(
          'POST-HOSPITAL-CONTACT completed',
          120_000,
          taskWith(`${ehr.episode.id}/POST-HOSPITAL-CONTACT/${ehr.stay.id}`, (task) => task.status === 'completed'),
        );
        expect(met.output?.[0]?.valueReference?.reference).toBe(`Encounter/${visit.id}`);
        // Polling is off: every event came from a notification.
        const polling = await client.workflow.getHandle('fhir-polling-ehr').describe();
        expect(polling.status.name).not.toBe('RUNNING');
      },
    );
  });
}
