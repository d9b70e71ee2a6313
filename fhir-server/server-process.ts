/** Tests' way to run the embedded FHIR server as its own process, as `npm start` does (`main.ts`). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../platform/free-port.ts';

export interface FhirServerProcess {
  port: number;
  stop(): void;
}

/** Starts `main.ts` on `dataDir` and resolves once it says it is listening. */
export async function startFhirServerProcess(dataDir: string): Promise<FhirServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(import.meta.dirname, 'main.ts')], {
    env: { ...process.env, FHIR_SERVER_PORT: String(port), FHIR_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = (): void => void child.kill('SIGTERM');
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('FHIR server listening') && resolve());
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
  } catch (err) {
    stop();
    throw err;
  }
  return { port, stop };
}
