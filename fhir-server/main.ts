/**
 * The embedded FHIR server as a process: `node fhir-server/main.ts`.
 * Port and data folder from the shared configuration (FHIR_SERVER_PORT, FHIR_DATA_DIR).
 */
import { ConfigError, loadConfig } from '../worker/config.ts';
import { startFhirServer } from './server.ts';

try {
  const { localStack } = loadConfig();
  const server = await startFhirServer({ dataDir: localStack.fhirDataDir, port: localStack.fhirServerPort });
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
