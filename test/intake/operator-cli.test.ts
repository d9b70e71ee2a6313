/** The operator CLI against the dev server and a worker: list, show, admit/release by hand, discharge, redeliver; exit codes. */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EpisodeOfCare } from '@medplum/fhirtypes';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFhirServer, type RunningFhirServer } from '../../fhir-server/server.ts';
import { parseEpisodeDefaults } from '../../intake/config.ts';
import { exitCodeOf, runOperatorCli } from '../../intake/operator-cli.ts';
import { startTemporalDevServer, type RunningDevServer } from '../../local-stack/dev-server.ts';
import { type Config, parseConfig } from '../../worker/config.ts';
import { createDataConverter, resolveCodecKeys } from '../../worker/data-converter.ts';
import { createFhirClient } from '../../worker/fhir-client.ts';
import { createCareWorker } from '../../worker/worker.ts';
import { localDateOf } from '../../workflows/rules/index.ts';
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

async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  try {
    const io = { out: (line: string) => lines.push(line), config: () => parseConfig(env), episodeDefaults: (base: Config) => parseEpisodeDefaults(env, base) };
    const code = await runOperatorCli(argv, io);
    return { code, out: lines.join('\n') };
  } catch (error) {
    const { code, message } = exitCodeOf(error);
    return { code, out: [...lines, message].join('\n') };
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
