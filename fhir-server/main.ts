/**
 * The embedded FHIR server as a process: `node fhir-server/main.ts`.
 * From the shared configuration: FHIR_SERVER_HOST, FHIR_SERVER_PORT, FHIR_SERVER_HOSTNAMES,
 * FHIR_SERVER_TOKEN (required beyond loopback), FHIR_DATA_DIR.
 */
import { ConfigError, loadConfig } from '../platform/config.ts';
import { startFhirServer } from './server.ts';

try {
  const { localStack } = loadConfig();
  const server = await startFhirServer({
    dataDir: localStack.fhirDataDir,
    host: localStack.fhirServerHost,
    port: localStack.fhirServerPort,
    hostnames: localStack.fhirServerHostnames,
    token: localStack.fhirServerToken,
  });
  console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', message: 'FHIR server listening', baseUrl: server.baseUrl }));
  const stop = (): void => {
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78);
  }
  throw err;
}
