/**
 * `npm start`: the whole local stack on embedded defaults — the Temporal dev server (SQLite under
 * `.data/`, Web UI), the codec server the Web UI decrypts payloads with, the embedded FHIR server
 * (journal under `.data/`) and the worker — until Ctrl-C, which stops them all cleanly. State
 * (and the generated payload key, unless CODEC_KEYS is set) survives a restart.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { startCodecServer } from '../worker/codec-server.ts';
import type { RunningCodecServer } from '../worker/codec-server.ts';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { LOCAL_STACK_REPORT_AGENCY, LOCAL_STACK_SUPERVISOR } from '../intake/intake-config.ts';
import { ensureLocalStackAgency, ensureLocalStackSupervisor } from '../intake/require-episode-defaults.ts';
import { createFhirClient } from '../platform/fhir-client.ts';
import type { Config, FhirAuth } from '../platform/config.ts';
import { hostInUrl, isWildcardAddress } from '../fhir-server/host-check.ts';
import { resolveCodecKeys } from '../platform/data-converter.ts';
import { AesGcmPayloadCodec } from '../platform/payload-codec.ts';
import { startTemporalDevServer } from './dev-server.ts';
import type { RunningDevServer } from './dev-server.ts';
import { PROJECT_ROOT } from './tools.ts';

const say = (line: string): void => {
  process.stdout.write(`[stack] ${line}\n`);
};

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

async function assertPortsFree(config: Config): Promise<void> {
  const [temporalHost = '127.0.0.1', temporalPort = '7233'] = config.temporal.address.split(':');
  const ports: [string, string, number, string][] = [
    ['Temporal frontend', temporalHost, Number(temporalPort), 'TEMPORAL_ADDRESS'],
    ['Temporal Web UI', temporalHost, config.localStack.temporalUiPort, 'TEMPORAL_UI_PORT'],
    ['FHIR server', config.localStack.fhirServerHost, config.localStack.fhirServerPort, 'FHIR_SERVER_PORT'],
  ];
  const [codecHost = '127.0.0.1', codecPort = '8234'] = splitHostPort(config.codec.server.bind);
  ports.push(['codec server', codecHost, Number(codecPort), 'CODEC_SERVER_BIND']);
  if (config.metricsBind) {
    const [host = '127.0.0.1', port = '9464'] = config.metricsBind.split(':');
    ports.push(['worker metrics', host, Number(port), 'METRICS_BIND']);
  }
  const [intakeHost = '127.0.0.1', intakePort = '8110'] = intakeBind().split(':');
  ports.push(['event intake', intakeHost, Number(intakePort), 'INTAKE_BIND']);
  const intakeMetrics = intakeMetricsBind(config);
  if (intakeMetrics !== 'off') {
    const [host = '127.0.0.1', port = '9465'] = intakeMetrics.split(':');
    ports.push(['intake metrics', host, Number(port), 'INTAKE_METRICS_BIND']);
  }
  const taken = [];
  for (const [what, host, port, variable] of ports) {
    if (!(await portIsFree(host, port))) taken.push(`port ${port} (${what}) is already in use; stop what uses it or set ${variable}`);
  }
  if (taken.length) throw new Error(taken.join('\n'));
}

function splitHostPort(address: string): [string, string] {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon), address.slice(colon + 1)];
}

function pollingLine(interval: string | undefined): string {
  return interval === 'off' ? 'polling off' : `polls FHIR every ${interval || 10} s`;
}

/** The embedded FHIR server's base URL, as the stack's own services reach it. */
function localFhirBaseUrl(config: Config): string {
  const host = config.localStack.fhirServerHost;
  return `http://${isWildcardAddress(host) ? '127.0.0.1' : hostInUrl(host)}:${config.localStack.fhirServerPort}/fhir/R4`;
}

/**
 * How the stack's services authenticate to the embedded FHIR server: with its FHIR_SERVER_TOKEN as
 * the static bearer token, unless FHIR_BASE_URL or FHIR_AUTH point them elsewhere.
 */
function localFhirAuth(config: Config): { auth: FhirAuth; env: NodeJS.ProcessEnv } {
  const token = config.localStack.fhirServerToken;
  if (!token || process.env.FHIR_BASE_URL || process.env.FHIR_AUTH) return { auth: config.fhir.auth, env: {} };
  return { auth: { kind: 'bearer', token }, env: { FHIR_AUTH: 'bearer', FHIR_BEARER_TOKEN: token } };
}

function intakeBind(): string {
  return process.env.INTAKE_BIND || '127.0.0.1:8110';
}

/** The intake's Prometheus endpoint: off with the worker's (METRICS_BIND=off) unless set itself. */
function intakeMetricsBind(config: Config): string {
  return process.env.INTAKE_METRICS_BIND || (config.metricsBind ? '127.0.0.1:9465' : 'off');
}

/**
 * The secret FHIR servers send with their notifications: INTAKE_SECRET, else one generated for
 * this machine and kept beside the stack's other state.
 */
function intakeSecret(dataDir: string): { secret: string; where: string } {
  if (process.env.INTAKE_SECRET) return { secret: process.env.INTAKE_SECRET, where: 'INTAKE_SECRET' };
  const file = join(dataDir, 'intake-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 });
  }
  return { secret: readFileSync(file, 'utf8').trim(), where: file };
}

/** Starts `node <script>` with the stack's environment; resolves once `ready` matches a line of its output. */
function startNodeService(name: string, script: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, script)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let started = false;
    const onLine = (chunk: Buffer): void => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        process.stdout.write(`[${name}] ${line}\n`);
        if (!started && ready.test(line)) {
          started = true;
          resolve(child);
        }
      }
    };
    child.stdout.on('data', onLine);
    child.stderr.on('data', onLine);
    child.once('exit', (code) => {
      if (!started) reject(new Error(`${name} exited with code ${code} before it was ready`));
    });
  });
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const config = loadConfig(join(PROJECT_ROOT, '.env'));
  await assertPortsFree(config);
  const [ip = '127.0.0.1', port = '7233'] = config.temporal.address.split(':');
  const dbFile = resolve(PROJECT_ROOT, config.localStack.temporalDbFile);
  mkdirSync(dirname(dbFile), { recursive: true });
  const codecKeyFile = resolve(PROJECT_ROOT, config.codec.localKeyFile);
  const codecKeys = resolveCodecKeys({ ...config, codec: { ...config.codec, localKeyFile: codecKeyFile } });

  let codecServer: RunningCodecServer | undefined;
  let temporal: RunningDevServer | undefined;
  let fhir: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  let intake: ChildProcess | undefined;
  const intakeAuth = intakeSecret(resolve(PROJECT_ROOT, '.data'));
  let stopping = false;
  const stopAll = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      say('stopping: event intake, worker, FHIR server, Temporal dev server…');
      await stopChild(intake);
      await stopChild(worker);
      await stopChild(fhir);
      await temporal?.stop();
      await codecServer?.stop();
      say('stopped');
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const [codecHost = '127.0.0.1', codecPort = '8234'] = splitHostPort(config.codec.server.bind);
    const uiOrigins = [...new Set([ip, '127.0.0.1', 'localhost'])].map((host) => `http://${host}:${config.localStack.temporalUiPort}`);
    codecServer = await startCodecServer({
      codec: new AesGcmPayloadCodec(codecKeys),
      host: codecHost,
      port: Number(codecPort),
      allowedOrigins: config.codec.server.origins ?? uiOrigins,
      token: config.codec.server.token,
    });
    say(`starting the Temporal dev server (state in ${config.localStack.temporalDbFile})…`);
    temporal = await startTemporalDevServer({
      ip,
      port: Number(port),
      uiPort: config.localStack.temporalUiPort,
      dbFile,
      namespace: config.temporal.namespace,
      uiCodecEndpoint: codecServer.url,
      output: createWriteStream(join(dirname(dbFile), 'server.log'), { flags: 'a' }),
    });
    const fhirAuth = localFhirAuth(config);
    const env = {
      ...process.env,
      ...fhirAuth.env,
      FHIR_DATA_DIR: resolve(PROJECT_ROOT, config.localStack.fhirDataDir),
      CODEC_LOCAL_KEY_FILE: codecKeyFile,
      FHIR_BASE_URL: process.env.FHIR_BASE_URL || localFhirBaseUrl(config),
    };
    say('starting the FHIR server…');
    fhir = await startNodeService('fhir', 'fhir-server/main.ts', env, /FHIR server listening/);
    const supervisor = process.env.INTAKE_SUPERVISOR || LOCAL_STACK_SUPERVISOR;
    if (!process.env.FHIR_BASE_URL && supervisor === LOCAL_STACK_SUPERVISOR) {
      await ensureLocalStackSupervisor(createFhirClient({ baseUrl: env.FHIR_BASE_URL, auth: fhirAuth.auth }), supervisor);
    }
    // The monthly timeliness report's reporter: on the embedded server, a local agency unless one is named.
    const reportAgency = process.env.REPORT_AGENCY || process.env.INTAKE_AGENCY || (process.env.FHIR_BASE_URL ? undefined : LOCAL_STACK_REPORT_AGENCY);
    if (reportAgency === LOCAL_STACK_REPORT_AGENCY) await ensureLocalStackAgency(createFhirClient({ baseUrl: env.FHIR_BASE_URL, auth: fhirAuth.auth }), reportAgency);
    say('starting the worker…');
    worker = await startNodeService('worker', 'worker/main.ts', env, /worker started/);
    say('starting the event intake (rest-hook endpoint and FHIR polling)…');
    intake = await startNodeService(
      'intake',
      'intake/main.ts',
      {
        ...env,
        INTAKE_BIND: intakeBind(),
        INTAKE_METRICS_BIND: intakeMetricsBind(config),
        INTAKE_SECRET: intakeAuth.secret,
        INTAKE_SUPERVISOR: supervisor,
        ...(reportAgency ? { REPORT_AGENCY: reportAgency } : {}),
      },
      /intake listening/,
    );
    for (const child of [fhir, worker, intake]) {
      child.once('exit', (code) => {
        if (!stopping) {
          say(`a service exited unexpectedly (code ${code}); stopping the stack`);
          void stopAll(1);
        }
      });
    }
  } catch (err) {
    say((err as Error).message);
    await stopAll(1);
  }

  say('the local stack is up:');
  say(`  Temporal frontend   ${temporal?.address}  (namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue})`);
  say(`  Temporal Web UI     ${temporal?.uiUrl}`);
  say(`  codec server        ${codecServer?.url}  (payloads encrypted with key "${codecKeys.encryptKeyId}")`);
  say(`  FHIR R4 server      ${process.env.FHIR_BASE_URL || localFhirBaseUrl(config)}`);
  if (config.metricsBind) say(`  worker metrics      http://${config.metricsBind}/metrics`);
  if (intakeMetricsBind(config) !== 'off') say(`  intake metrics      http://${intakeMetricsBind(config)}/metrics`);
  say(`  event intake        http://${intakeBind()}/notify/<Type>  (Authorization: Bearer <secret in ${intakeAuth.where}>; ${pollingLine(process.env.INTAKE_POLL_INTERVAL)})`);
  say('press Ctrl-C to stop everything');
}

try {
  await main();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `[stack] ${(err as Error).message}`);
  process.exit(err instanceof ConfigError ? 78 : 1);
}
