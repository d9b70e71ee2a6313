/** The operator CLI against the dev server and a worker: list, show, admit/release by hand, discharge, redeliver, assign, caseload, report; exit codes. */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EpisodeOfCare, Task } from '@medplum/fhirtypes';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFhirServer, type RunningFhirServer } from '../../fhir-server/server.ts';
import { parseAgencyPolicyFile, parseEpisodeDefaults, parseIntakeSource } from '../../intake/intake-config.ts';
import { ensurePolling } from '../../intake/polling.ts';
import { exitCodeOf, runOperatorCli } from '../../intake/operator-cli.ts';
import { startTemporalDevServer, type RunningDevServer } from '../../local-stack/dev-server.ts';
import { type Config, parseConfig } from '../../platform/config.ts';
import { createDataConverter, resolveCodecKeys } from '../../platform/data-converter.ts';
import { createFhirClient } from '../../platform/fhir-client.ts';
import { createCareWorker } from '../../worker/worker.ts';
import { episodeWorkflowId } from '../../domain/episode/input.ts';
import { getPollingState } from '../../workflows/polling/fhir-polling.ts';
import { getState } from '../../workflows/episode/messages.ts';
import { episodeStartOptions } from '../../workflows/episode/start-options.ts';
import { localDateOf } from '../../domain/rules/index.ts';
import { defaultAgencyPolicy } from '../../domain/rules/index.ts';
import { freePort } from '../../platform/free-port.ts';
import { dueTask, JANUARY_2026, JANUARY_TASKS } from '../../domain/reporting/timeliness-fixtures.ts';
import { writeAsEhr } from './fhir-sender.ts';

const TASK_QUEUE = 'care-episodes-cli';
let temporal: RunningDevServer;
let fhirServer: RunningFhirServer;
let workerConnection: NativeConnection;
let worker: Worker;
let workerRun: Promise<void>;
let env: Record<string, string>;

beforeAll(async () => {
  temporal = await startTemporalDevServer({ ui: false });
  env = {
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    INTAKE_SECRET: 'cli-test-secret-0123456789',
    INTAKE_SUPERVISOR: 'Practitioner/cli-sup',
    INTAKE_AGENCY: 'Organization/cli-agency',
    // The worker and the CLI share the payload codec, as in production.
    CODEC_KEYS: `cli-test:${randomBytes(32).toString('base64')}`,
  };
  fhirServer = await startFhirServer({ dataDir: mkdtempSync(join(tmpdir(), 'cli-')) });
  workerConnection = await NativeConnection.connect({ address: temporal.address });
  worker = await createCareWorker({
    connection: workerConnection,
    namespace: temporal.namespace,
    taskQueue: TASK_QUEUE,
    fhir: createFhirClient({ baseUrl: fhirServer.baseUrl, auth: { kind: 'none' } }),
    dataConverter: createDataConverter(resolveCodecKeys(parseConfig(env))),
  });
  workerRun = worker.run();
  env.FHIR_BASE_URL = fhirServer.baseUrl;
});

afterAll(async () => {
  worker?.shutdown();
  await workerRun;
  await workerConnection?.close();
  await fhirServer?.stop();
  await temporal?.stop();
});

/** `out` is stdout; what the CLI writes to stderr comes as `err` only when there is some. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err?: string }> {
  const lines: string[] = [];
  const errors: string[] = [];
  const withErrors = (result: { code: number; out: string }) => (errors.length ? { ...result, err: errors.join('\n') } : result);
  try {
    const io = {
      out: (line: string) => lines.push(line),
      err: (line: string) => errors.push(line),
      config: () => parseConfig(env),
      episodeDefaults: (base: Config) => parseEpisodeDefaults(env, base),
      pollingSource: () => parseIntakeSource(env),
      agencyPolicy: (base: Config) => parseAgencyPolicyFile(base),
    };
    const code = await runOperatorCli(argv, io);
    return withErrors({ code, out: lines.join('\n') });
  } catch (error) {
    const { code, message } = exitCodeOf(error);
    return withErrors({ code, out: [...lines, message].join('\n') });
  }
}

test('redeliver starts an episode from FHIR; list, show, admit/release (once), discharge', async () => {
  const admission = localDateOf(Date.now() - 3 * 86_400_000, 'America/Chicago');
  const episode = await writeAsEhr<EpisodeOfCare>(fhirServer.baseUrl, {
    resourceType: 'EpisodeOfCare',
    status: 'active',
    patient: { reference: 'Patient/cli-p1' },
    careManager: { reference: 'Practitioner/cli-s1' },
    period: { start: admission },
  });
  expect(await cli('redeliver', `EpisodeOfCare/${episode.id}`)).toEqual({ code: 0, out: `delivered 1 event(s) to EpisodeOfCare/${episode.id}` });

  let listed = { code: -1, out: '' };
  for (let attempt = 0; attempt < 50 && !listed.out.includes(`episode-${episode.id}`); attempt++) {
    listed = await cli('list', '--specialist', 'Practitioner/cli-s1');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(listed.code).toBe(0);
  expect(listed.out).toContain(`episode-${episode.id}`);

  // Listed from its start (search attributes are set with it); its requirements come with its first workflow task.
  let shown = { code: -1, out: '' };
  for (let attempt = 0; attempt < 50 && !shown.out.includes('CIP-INITIAL/1'); attempt++) {
    shown = await cli('show', episode.id as string);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(shown.code).toBe(0);
  expect(shown.out).toContain(`admitted ${admission}`);
  expect(shown.out).toContain('CIP-INITIAL/1');

  expect((await cli('admit', episode.id as string, '--encounter', 'cli-h1', '--date', admission)).out).toContain('hospital-admission applied');
  expect((await cli('admit', episode.id as string, '--encounter', 'cli-h1', '--date', admission)).out).toContain('hospital-admission duplicate');
  expect((await cli('release', episode.id as string, '--encounter', 'cli-h1', '--date', admission)).out).toContain('hospital-release applied');
  expect((await cli('show', episode.id as string)).out).toContain('POST-HOSPITAL-CONTACT/cli-h1');
  expect((await cli('discharge', episode.id as string, '--date', localDateOf(Date.now(), 'America/Chicago'))).out).toContain('program-discharge applied');
});

test('usage errors and unknown episodes: clear messages and exit codes', async () => {
  expect((await cli('admit', 'e1', '--encounter', 'h1', '--date', '03/02/2026')).code).toBe(2);
  expect((await cli('frobnicate')).code).toBe(2);
  expect((await cli('list', '--bogus')).code).toBe(2);
  const missing = await cli('show', 'no-such-episode');
  expect(missing).toEqual({ code: 1, out: 'no such episode: episode-no-such-episode' });

  const help = spawnSync(process.execPath, [new URL('../../intake/operator-cli.ts', import.meta.url).pathname, '--help'], { encoding: 'utf8' });
  expect(help.status).toBe(0);
  expect(help.stdout).toContain('usage: care-episodes');
  const cliProcess = (env: Record<string, string>, ...argv: string[]) =>
    spawnSync(process.execPath, [new URL('../../intake/operator-cli.ts', import.meta.url).pathname, ...argv], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  // Listing needs Temporal only: no intake secret, no supervisor.
  const listing = cliProcess({ TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: TASK_QUEUE, CODEC_KEYS: env.CODEC_KEYS as string }, 'list', '--all');
  expect([listing.status, listing.stderr]).toEqual([0, '']);
  expect(listing.stdout).toMatch(/\d+ episode\(s\)/);
  const badConfig = cliProcess({ FHIR_BASE_URL: 'http://ehr.example.org/fhir', INTAKE_SUPERVISOR: 'Practitioner/', INTAKE_SECRET: 'short' }, 'redeliver', 'Encounter/e1');
  expect(badConfig.status).toBe(78);
  expect(badConfig.stderr).toContain('configuration error: INTAKE_SUPERVISOR');
  expect(badConfig.stderr).not.toContain('INTAKE_SECRET');
});

test('backfill reads the changes since a day again, and starts no episode that ended before it', { timeout: 120_000 }, async () => {
  const day = (daysAgo: number) => localDateOf(Date.now() - daysAgo * 86_400_000, 'America/Chicago');
  const write = (status: 'active' | 'finished', start: string, end?: string) =>
    writeAsEhr<EpisodeOfCare>(fhirServer.baseUrl, {
      resourceType: 'EpisodeOfCare',
      status,
      patient: { reference: 'Patient/cli-backfill' },
      careManager: { reference: 'Practitioner/cli-s2' },
      period: { start, ...(end ? { end } : {}) },
    });
  const endedBefore = await write('finished', day(90), day(40));
  const open = await write('active', day(10));
  const endedSince = await write('finished', day(60), day(5));

  env.INTAKE_SOURCE = 'cli-backfill';
  const client = new Client({
    connection: await Connection.connect({ address: temporal.address }),
    namespace: temporal.namespace,
    dataConverter: createDataConverter(resolveCodecKeys(parseConfig(env))),
  });
  const episodeExists = (episode: EpisodeOfCare) =>
    client.workflow
      .getHandle(episodeWorkflowId(`EpisodeOfCare/${episode.id}`))
      .describe()
      .then(
        () => true,
        (error: unknown) => {
          if (error instanceof WorkflowNotFoundError) return false;
          throw error;
        },
      );
  try {
    const workflowId = await ensurePolling(client, TASK_QUEUE, {
      source: 'cli-backfill',
      resourceTypes: ['EpisodeOfCare'],
      intervalMs: 60_000,
      episodeDefaults: { supervisor: 'Practitioner/cli-sup', agency: 'Organization/cli-agency' },
    });
    const polling = client.workflow.getHandle(workflowId);
    const pollingState = () => polling.query(getPollingState);
    for (let attempt = 0; attempt < 300 && (await pollingState()).polls < 1; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    // Written before the source was started: the first poll leaves them alone.
    expect((await pollingState()).delivered + (await pollingState()).skipped).toBe(0);
    expect(await episodeExists(open)).toBe(false);

    expect((await cli('backfill')).code).toBe(2);
    expect(await cli('backfill', '--since', day(30))).toEqual({
      code: 0,
      out: `backfill from ${day(30)} requested of ${workflowId}: its changes since then are delivered again; no episode that ended before ${day(30)} is started`,
    });
    let state = await pollingState();
    for (let attempt = 0; attempt < 300 && !(state.backfill && Object.keys(state.backfill.cursors).length === 0); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await pollingState();
    }
    expect(state.backfill).toMatchObject({ since: day(30), cursors: {} });
    // The first test's EpisodeOfCare is read again too.
    expect((state.backfill?.delivered ?? 0) + (state.backfill?.skipped ?? 0)).toBe(4);
    expect(await episodeExists(open)).toBe(true);
    expect(await episodeExists(endedSince)).toBe(true);
    expect(await episodeExists(endedBefore)).toBe(false);
    await polling.terminate('test done');

    env.INTAKE_SOURCE = 'nowhere';
    expect(await cli('backfill', '--since', day(30))).toEqual({
      code: 1,
      out: 'no polling workflow fhir-polling-nowhere: the intake of source nowhere polls only with INTAKE_POLL_INTERVAL on',
    });
  } finally {
    delete env.INTAKE_SOURCE;
    await client.connection.close();
  }
});

test('caseload of a specialist no episode has told anything: 0 of the policy cap, as JSON and as a table', async () => {
  expect(await cli('caseload', 'cli-nobody', '--json')).toEqual({
    code: 0,
    out: '{"specialist":"Practitioner/cli-nobody","caseload":0,"cap":30,"episodes":[],"weeks":[],"averageHours":0,"averageTargetHours":0}',
  });
  const table = await cli('caseload', 'Practitioner/cli-nobody');
  expect(table.code).toBe(0);
  expect(table.out.split('\n')[0]).toBe('Practitioner/cli-nobody: caseload 0 of cap 30');
  expect((await cli('caseload', 'cli-nobody', '--weeks', '0')).code).toBe(2);
  expect((await cli('caseload')).code).toBe(2);
  expect((await cli('assign', 'e1')).code).toBe(2);
  expect((await cli('assign', 'e1', '--specialist', 's1', '--override-by', 'Organization/o1')).code).toBe(2);
  expect(await cli('assign', 'no-such-episode', '--specialist', 's1')).toEqual({ code: 1, out: 'no such episode: episode-no-such-episode' });
});

test('assign refuses the 31st episode without an override, and records an accepted one in FHIR', { timeout: 300_000 }, async () => {
  const client = new Client({
    connection: await Connection.connect({ address: temporal.address }),
    namespace: temporal.namespace,
    dataConverter: createDataConverter(resolveCodecKeys(parseConfig(env))),
  });
  try {
    const admission = localDateOf(Date.now() - 86_400_000, 'America/Chicago');
    const ids: string[] = [];
    for (let n = 1; n <= 32; n++) {
      const episode = await writeAsEhr<EpisodeOfCare>(fhirServer.baseUrl, {
        resourceType: 'EpisodeOfCare',
        status: 'active',
        patient: { reference: `Patient/cli-cap-${n}` },
        careManager: { reference: 'Practitioner/cli-before' },
        period: { start: admission },
      });
      ids.push(episode.id as string);
      const input = { patient: `Patient/cli-cap-${n}`, episodeOfCare: `EpisodeOfCare/${episode.id}`, specialist: 'Practitioner/cli-before', supervisor: 'Practitioner/cli-sup', agency: 'Organization/cli-agency', admissionDate: admission };
      await client.workflow.start('clientEpisode', episodeStartOptions(input, TASK_QUEUE));
    }
    for (const id of ids.slice(0, 30)) expect((await cli('assign', id, '--specialist', 'cli-cap')).code).toBe(0);
    const refused = await cli('assign', ids[30]!, '--specialist', 'cli-cap');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^refused: caseload 30 of cap 30/);
    console.log(`care-episodes assign (31st, no override): exit ${refused.code}, stderr: ${refused.err}`);
    const approved = await cli('assign', ids[30]!, '--specialist', 'cli-cap', '--override-by', 'Practitioner/cli-sup');
    expect(approved.code).toBe(0);
    expect(approved.out).toContain('caseload 31 of cap 30, approved by Practitioner/cli-sup');
    console.log(`care-episodes assign (31st, --override-by): exit ${approved.code}, ${approved.out}`);
    const recorded = await createFhirClient({ baseUrl: fhirServer.baseUrl, auth: { kind: 'none' } }).readResource('EpisodeOfCare', ids[30]!);
    expect(recorded.careManager?.reference).toBe('Practitioner/cli-cap');
    const state = await client.workflow.getHandle(episodeWorkflowId(`EpisodeOfCare/${ids[30]}`)).query(getState);
    expect(state.config.specialist).toBe('Practitioner/cli-cap');
    const caseload = JSON.parse((await cli('caseload', 'cli-cap', '--json')).out) as { caseload: number; cap: number; episodes: string[] };
    expect(caseload).toMatchObject({ caseload: 31, cap: 30 });
    expect(caseload.episodes).toHaveLength(31);
  } finally {
    await client.connection.close();
  }
});

test('report --month: the requirement Tasks due that month on the FHIR server, as JSON, table and page; --specialist; usage and unreachable', async () => {
  const zone = defaultAgencyPolicy.timeZone;
  for (const due of JANUARY_TASKS) await writeAsEhr<Task>(fhirServer.baseUrl, dueTask(due, zone));
  const [a, b] = ['Practitioner/example-specialist', 'Practitioner/example-supervisor'];
  const counts = (denominator: number, numerator: number, metLate: number, overdue: number, dischargedOverdue: number, rate: number | null) => ({ denominator, numerator, metLate, overdue, dischargedOverdue, rate });

  const json = await cli('report', '--month', '2026-01', '--json');
  expect(json.code).toBe(0);
  // Waived, withdrawn, superseded and discharged before due are not counted; the Task still open past its due day is overdue.
  expect(JSON.parse(json.out)).toEqual({
    period: JANUARY_2026,
    ...counts(7, 3, 1, 2, 1, 0.43),
    initialPopulation: 11,
    denominatorExclusion: 4,
    notYetDue: 0,
    byCode: { 'DISCHARGE-PLAN': counts(1, 0, 0, 0, 1, 0), 'NOTE-INDIVIDUAL': counts(3, 1, 0, 2, 0, 0.33), QR: counts(3, 2, 1, 0, 0, 0.67) },
    bySpecialist: { [a]: counts(4, 2, 1, 1, 0, 0.5), [b]: counts(3, 1, 0, 1, 1, 0.33) },
    late: ['Task/tl-plan-discharged-after', 'Task/tl-qr-late', 'Task/tl-note-overdue', 'Task/tl-note-open-past'],
  });
  console.log(`care-episodes report --month 2026-01 --json: ${json.out}`);

  const html = join(mkdtempSync(join(tmpdir(), 'cli-report-')), 'report.html');
  const table = await cli('report', '--month', '2026-01', '--html', html);
  expect(table.code).toBe(0);
  const lines = table.out.split('\n');
  expect(lines[0]).toBe('On-time documentation, 2026-01 (due 2026-01-01 to 2026-01-31)');
  expect(lines.some((line) => /^agency +7 +3 +1 +2 +1 +43%$/.test(line))).toBe(true);
  expect(lines.at(-1)).toBe(`page written to ${html}`);
  const page = readFileSync(html, 'utf8');
  expect(page).toContain('<title>On-time documentation, 2026-01</title>');
  expect(page).toContain('Task/tl-note-open-past');
  console.log(`care-episodes report --month 2026-01:\n${table.out}`);

  const mine = await cli('report', '--month', '2026-01', '--specialist', 'example-supervisor', '--json');
  expect(JSON.parse(mine.out)).toMatchObject({ ...counts(3, 1, 0, 1, 1, 0.33), bySpecialist: { [b]: counts(3, 1, 0, 1, 1, 0.33) }, late: ['Task/tl-plan-discharged-after', 'Task/tl-note-overdue'] });
  expect((await cli('report', '--month', '2026-01', '--specialist', 'Practitioner/example-supervisor')).out).toMatch(/^Practitioner\/example-supervisor +3 +1 +0 +1 +1 +33%$/m);
  expect(JSON.parse((await cli('report', '--month', '2025-03', '--json')).out)).toMatchObject({ denominator: 0, rate: null, late: [] });

  // The FHIR server and the agency policy only: no Temporal, no payload codec. (Not spawnSync: the FHIR server runs in this process.)
  const alone = await promisify(execFile)(process.execPath, [new URL('../../intake/operator-cli.ts', import.meta.url).pathname, 'report', '--month', '2026-01', '--json'], {
    env: { PATH: process.env.PATH, FHIR_BASE_URL: fhirServer.baseUrl, TEMPORAL_ADDRESS: '127.0.0.1:1' },
  });
  expect(alone.stderr).toBe('');
  expect(JSON.parse(alone.stdout)).toMatchObject({ denominator: 7 });
  const help = spawnSync(process.execPath, [new URL('../../intake/operator-cli.ts', import.meta.url).pathname, '--help'], { encoding: 'utf8' });
  expect(help.stdout).toContain('report --month <YYYY-MM> [--specialist <Practitioner id>] [--json] [--html FILE]');

  for (const argv of [['report'], ['report', '--month', '2026-13'], ['report', '--month', '2026-3'], ['report', '2026-01', '--month', '2026-01'], ['report', '--month', '2026-01', '--specialist', 'Organization/o1'], ['report', '--month', '2026-01', '--html']]) {
    expect((await cli(...argv)).code, argv.join(' ')).toBe(2);
  }
  const reachable = env.FHIR_BASE_URL as string;
  env.FHIR_BASE_URL = `http://127.0.0.1:${await freePort()}/fhir`;
  try {
    const unreachable = await cli('report', '--month', '2026-01');
    expect(unreachable.code).toBe(69);
    expect(unreachable.out).toMatch(/^unreachable: search Task due 2026-01-01\.\.2026-01-31: no answer \(ECONNREFUSED\)/);
  } finally {
    env.FHIR_BASE_URL = reachable;
  }
});
