/**
 * A HAPI FHIR JPA server (FHIR R4 on H2), the tests' second real FHIR server. The Maven project in
 * `hapi-fhir/` is built once from Maven Central into `.tools/hapi-fhir/<HAPI version>-<source hash>/`
 * (a change of its sources builds anew) and run with `java`. HAPI's defaults hold: referential
 * integrity, client-assigned ids, SearchParameter indexing; R4 rest-hook subscriptions are on.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { freePort } from '../platform/free-port.ts';
import { findOnPath, printProgress, run, TOOLS_DIR } from './tool-support.ts';
import type { Progress } from './tool-support.ts';

const SOURCE_DIR = join(import.meta.dirname, 'hapi-fhir');
const MAIN_CLASS = 'local.hapi.HapiFhirTestServer';
const APP_JAR = 'hapi-fhir-test-server.jar';
const START_DEADLINE_MS = 5 * 60_000;
/** Modest for a 2-core CI machine shared with the rest of the suite. */
const JVM_OPTIONS = ['-Xmx768m', '-XX:+UseSerialGC'];

export interface HapiFhirInstall {
  version: string;
  /** Holds `app/` (the server's own jar) and `lib/` (its dependencies). */
  home: string;
}

export interface HapiFhirServerOptions {
  /** 0 or absent picks a free one. */
  port?: number;
  /** Directory of the H2 database; absent means in memory. */
  dataDir?: string;
  /** Where the server's own output goes (default: discarded unless it fails to start). */
  output?: NodeJS.WritableStream;
}

export interface RunningHapiFhirServer {
  /** `http://127.0.0.1:<port>/fhir` */
  baseUrl: string;
  /** HAPI FHIR's version, as its CapabilityStatement reports it. */
  version: string;
  /** Settles with the exit code when the server process ends, for whatever reason. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !relative(SOURCE_DIR, path).split(/[\\/]/).includes('target'))
    .sort();
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of sourceFiles(SOURCE_DIR)) hash.update(relative(SOURCE_DIR, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 12);
}

function hapiVersion(): string {
  const version = /<hapi\.version>([^<]+)<\/hapi\.version>/.exec(readFileSync(join(SOURCE_DIR, 'pom.xml'), 'utf8'))?.[1];
  if (!version) throw new Error(`${join(SOURCE_DIR, 'pom.xml')} names no <hapi.version>`);
  return version;
}

/** The built server, built first where `.tools/` has none for these sources. */
export async function ensureHapiFhirServer(progress: Progress = printProgress): Promise<HapiFhirInstall> {
  const version = hapiVersion();
  const home = join(TOOLS_DIR, 'hapi-fhir', `${version}-${sourceHash()}`);
  if (existsSync(join(home, 'app', APP_JAR))) return { version, home };
  const mvn = findOnPath('mvn');
  if (!mvn || !findOnPath('java')) throw new Error('building the HAPI FHIR server needs Java 17+ and Maven (mvn) on PATH');

  progress(`building HAPI FHIR ${version} with Maven from Maven Central; one time, a few minutes…`);
  const staging = `${home}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const build = join(staging, 'build');
  cpSync(SOURCE_DIR, build, { recursive: true, filter: (path) => !relative(SOURCE_DIR, path).split(/[\\/]/).includes('target') });
  const started = Date.now();
  await run(
    mvn,
    ['-q', '-B', '-f', join(build, 'pom.xml'), 'package', 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${join(staging, 'lib')}`],
    process.env,
    (line) => {
      const text = stripVTControlCharacters(line).trim();
      if (text) progress(`  ${text}`);
    },
  );
  mkdirSync(join(staging, 'app'));
  renameSync(join(build, 'target', APP_JAR), join(staging, 'app', APP_JAR));
  rmSync(build, { recursive: true, force: true });
  if (existsSync(join(home, 'app', APP_JAR))) rmSync(staging, { recursive: true, force: true }); // built meanwhile by another process
  else {
    rmSync(home, { recursive: true, force: true });
    renameSync(staging, home);
  }
  pruneOtherBuilds(home);
  progress(`built ${home} in ${Math.round((Date.now() - started) / 1000)} s`);
  return { version, home };
}

/** Builds of earlier sources are never used again. */
function pruneOtherBuilds(current: string): void {
  const parent = dirname(current);
  for (const entry of readdirSync(parent)) {
    const path = join(parent, entry);
    if (path !== current && !entry.includes('.partial-')) rmSync(path, { recursive: true, force: true });
  }
}

export async function startHapiFhirServer(options: HapiFhirServerOptions = {}): Promise<RunningHapiFhirServer> {
  const { version, home } = await ensureHapiFhirServer();
  const port = options.port || (await freePort());
  const baseUrl = `http://127.0.0.1:${port}/fhir`;
  const args = [...JVM_OPTIONS, `-Dserver.port=${port}`];
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push(`-Dhapi.data-dir=${options.dataDir}`);
  }
  args.push('-cp', [join(home, 'app', APP_JAR), join(home, 'lib', '*')].join(delimiter), MAIN_CLASS);

  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const capture = (chunk: Buffer): void => {
    options.output?.write(chunk);
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', capture);
  child.stderr.on('data', capture);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (err) => {
      output += `\n${err.message}`;
      resolve(null);
    });
  });

  try {
    await waitForMetadata(baseUrl, exited);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`HAPI FHIR server did not start on ${baseUrl}: ${(err as Error).message}\n${output}`, { cause: err });
  }
  return {
    baseUrl,
    version,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

async function waitForMetadata(baseUrl: string, exited: Promise<number | null>): Promise<void> {
  const deadline = Date.now() + START_DEADLINE_MS;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the process exited (code ${exitCode})`);
    try {
      const response = await fetch(`${baseUrl}/metadata`, { signal: AbortSignal.timeout(10_000) });
      // Read to the end: a body dropped half-way is logged by the server as a broken pipe.
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`/metadata did not answer 200 within ${START_DEADLINE_MS / 60_000} min (${last})`);
}
