/**
 * `npm run fhir:hapi`: the HAPI FHIR JPA server in the foreground on `HAPI_PORT` (default 8090),
 * its database in memory, until Ctrl-C.
 */
import { startHapiFhirServer } from './hapi-fhir.ts';

const DEFAULT_PORT = 8090;

function portFromEnv(): number {
  const raw = process.env.HAPI_PORT;
  if (!raw) return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`HAPI_PORT: ${raw} is not a port number`);
    process.exit(78);
  }
  return port;
}

const server = await startHapiFhirServer({ port: portFromEnv(), output: process.stderr });
console.log(`FHIR R4 server ${server.baseUrl}`);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
void server.exited.then((code) => {
  if (stopping) return;
  console.error(`the HAPI FHIR server exited on its own (code ${code})`);
  process.exit(1);
});
