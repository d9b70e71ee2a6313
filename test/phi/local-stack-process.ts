/**
 * `npm start` as a child process on free ports and a throw-away `.data` folder, with everything it
 * prints kept (the worker's and FHIR server's log lines come through it, prefixed `[worker]`, `[fhir]`).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../platform/free-port.ts';
import { PROJECT_ROOT } from '../../local-stack/tools.ts';

export interface LocalStackProcess {
  dataDir: string;
  temporalAddress: string;
  uiUrl: string;
  fhirBaseUrl: string;
  codecUrl: string;
  codecKeyFile: string;
  temporalDbFile: string;
  /** Everything `npm start` printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export async function startLocalStackProcess(extraEnv: Record<string, string> = {}): Promise<LocalStackProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'phi-stack-'));
  const [temporalPort, uiPort, fhirPort, codecPort, intakePort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
    ...(process.env.CARE_TOOLS_DIR ? { CARE_TOOLS_DIR: process.env.CARE_TOOLS_DIR } : {}),
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    TEMPORAL_UI_PORT: String(uiPort),
    TEMPORAL_DB_FILE: join(dataDir, 'temporal', 'temporal.sqlite'),
    FHIR_SERVER_PORT: String(fhirPort),
    FHIR_DATA_DIR: join(dataDir, 'fhir'),
    CODEC_SERVER_BIND: `127.0.0.1:${codecPort}`,
    CODEC_LOCAL_KEY_FILE: join(dataDir, 'codec-keys'),
    METRICS_BIND: 'off',
    INTAKE_BIND: `127.0.0.1:${intakePort}`,
    INTAKE_SECRET: randomBytes(24).toString('base64url'),
    ...extraEnv,
  };
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'local-stack', 'start.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('press Ctrl-C to stop everything')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`npm start exited with code ${code} before the stack was up:\n${output}`)));
  });
  return {
    dataDir,
    temporalAddress: env.TEMPORAL_ADDRESS as string,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    fhirBaseUrl: `http://127.0.0.1:${fhirPort}/fhir/R4`,
    codecUrl: `http://127.0.0.1:${codecPort}`,
    codecKeyFile: env.CODEC_LOCAL_KEY_FILE as string,
    temporalDbFile: env.TEMPORAL_DB_FILE as string,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
