/**
 * Finds, or builds once from the package registries this project may reach, the servers the local
 * stack and the tests run on:
 * - the Temporal CLI (its `server start-dev` is the dev server with the Web UI), built from the
 *   Go module proxy;
 * - the Java time-skipping test server, resolved from Maven Central;
 * - a HAPI FHIR JPA server, built with Maven from Maven Central (see hapi-fhir.ts).
 * Built tools are cached in `.tools/` and never rebuilt while they are there.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, writeFileSync, chmodSync, readdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..');
export const TOOLS_DIR = process.env.CARE_TOOLS_DIR ?? join(PROJECT_ROOT, '.tools');

/** Later CLI releases carry a `replace` directive and cannot be built with `go install`. */
const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
const TEST_SERVER_ARTIFACT = { groupId: 'io.temporal', artifactId: 'temporal-test-server', version: '1.38.0' };

export type Progress = (line: string) => void;
export const printProgress: Progress = (line) => process.stderr.write(`[tools] ${line}\n`);

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv, onLine: Progress): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const collect = (chunk: Buffer): void => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        onLine(line);
        tail = (tail + line + '\n').slice(-4000);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail}`)),
    );
  });
}

/**
 * The Temporal CLI binary, in order: `TEMPORAL_CLI_PATH`; `temporal` on `PATH`; `.tools/bin`;
 * else built once with `go install`. Returns undefined where none can be had (no Go): the SDK's
 * own download is then the last resort.
 */
export async function ensureTemporalCli(progress: Progress = printProgress): Promise<string | undefined> {
  const configured = process.env.TEMPORAL_CLI_PATH;
  if (configured) {
    if (!isExecutable(configured)) throw new Error(`TEMPORAL_CLI_PATH: ${configured} is not an executable file`);
    return configured;
  }
  const cached = join(TOOLS_DIR, 'bin', 'temporal');
  const found = findOnPath('temporal') ?? (isExecutable(cached) ? cached : undefined);
  if (found) return found;
  const go = findOnPath('go');
  if (!go) return undefined;

  progress(`building the Temporal CLI (${TEMPORAL_CLI_MODULE}) from the Go module proxy; one time, a few minutes…`);
  let modules = 0;
  await run(
    go,
    ['install', TEMPORAL_CLI_MODULE],
    { ...process.env, GOTOOLCHAIN: 'local', GOBIN: join(TOOLS_DIR, 'bin'), GOFLAGS: '-mod=mod' },
    (line) => {
      if (line.startsWith('go: downloading')) {
        modules += 1;
        if (modules % 25 === 0) progress(`  downloaded ${modules} Go modules…`);
      } else {
        progress(`  ${line}`);
      }
    },
  );
  progress(`built ${cached}`);
  return cached;
}

/**
 * A launcher for the Java time-skipping test server, in order: `TEMPORAL_TEST_SERVER_PATH`;
 * `.tools/temporal-test-server/bin`; else its classpath resolved once from Maven Central.
 * Returns undefined without Java and Maven: the SDK's own download is then the last resort.
 */
export async function ensureTimeSkippingServer(progress: Progress = printProgress): Promise<string | undefined> {
  const configured = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (configured) {
    if (!isExecutable(configured)) throw new Error(`TEMPORAL_TEST_SERVER_PATH: ${configured} is not an executable file`);
    return configured;
  }
  const home = join(TOOLS_DIR, 'temporal-test-server');
  const launcher = join(home, 'bin', 'temporal-test-server');
  const lib = join(home, 'lib');
  if (isExecutable(launcher) && existsSync(lib) && readdirSync(lib).length > 0) return launcher;
  const mvn = findOnPath('mvn');
  if (!mvn || !findOnPath('java')) return undefined;

  const { groupId, artifactId, version } = TEST_SERVER_ARTIFACT;
  progress(`resolving ${groupId}:${artifactId}:${version} from Maven Central; one time…`);
  mkdirSync(join(home, 'bin'), { recursive: true });
  const pom = join(home, 'pom.xml');
  writeFileSync(
    pom,
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>local.tools</groupId><artifactId>temporal-test-server-launcher</artifactId><version>1</version>
<dependencies><dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency></dependencies>
</project>\n`,
  );
  await run(
    mvn,
    ['-B', '-q', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`, '-DincludeScope=runtime'],
    process.env,
    (line) => {
      const text = stripVTControlCharacters(line).trim();
      if (text) progress(`  ${text}`);
    },
  );
  // The SDK runs `<launcher> <port> [extra args]`; the Java main wants the flag right after the port.
  writeFileSync(
    launcher,
    `#!/bin/sh
# Generated by local-stack/tools.ts: Temporal's Java test server with time skipping.
port="$1"; shift
exec java -XX:+UseSerialGC -Xss512k -cp '${lib}/*' io.temporal.testserver.TestServer "$port" --enable-time-skipping "$@"
`,
  );
  chmodSync(launcher, 0o755);
  progress(`ready: ${launcher}`);
  return launcher;
}

/** Entry point of `npm run tools`: install all three, print where they are. */
if (import.meta.filename === resolve(process.argv[1] ?? '')) {
  const cli = await ensureTemporalCli();
  const testServer = await ensureTimeSkippingServer();
  // Imported here: hapi-fhir.ts imports this module.
  const { ensureHapiFhirServer } = await import('./hapi-fhir.ts');
  const hapi = await ensureHapiFhirServer();
  console.log(`temporal CLI: ${cli ?? 'not available (the SDK will download it where there is internet)'}`);
  console.log(`time-skipping test server: ${testServer ?? 'not available (the SDK will download it where there is internet)'}`);
  console.log(`HAPI FHIR server ${hapi.version}: ${hapi.home}`);
}
