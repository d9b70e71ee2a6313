import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFhirServer, type RunningFhirServer } from '../fhir-server/server.ts';
import { ConfigError } from '../platform/config.ts';
import { createFhirClient } from '../platform/fhir-client.ts';
import { episodeDefaultsSchema } from '../domain/episode/episode-defaults.ts';
import { ensureLocalStackSupervisor, requireEpisodeDefaultsOnFhir } from './require-episode-defaults.ts';

let server: RunningFhirServer;
beforeAll(async () => {
  server = await startFhirServer({ dataDir: mkdtempSync(join(tmpdir(), 'episode-defaults-')) });
});
afterAll(() => server?.stop());

const defaults = (supervisor: string, agency?: string) => episodeDefaultsSchema.parse({ supervisor, agency });

test('a supervisor or agency the FHIR server does not hold stops start-up with one line naming the variable and the reference', async () => {
  const fhir = createFhirClient({ baseUrl: server.baseUrl, auth: { kind: 'none' } });
  const missing = requireEpisodeDefaultsOnFhir(fhir, defaults('Practitioner/nobody'));
  await expect(missing).rejects.toThrow(ConfigError);
  await expect(missing).rejects.toThrow(/^configuration error: INTAKE_SUPERVISOR: Practitioner\/nobody not found on the FHIR server \(HTTP 404\)$/);

  await ensureLocalStackSupervisor(fhir, 'Practitioner/local-supervisor');
  await ensureLocalStackSupervisor(fhir, 'Practitioner/local-supervisor');
  expect(await fhir.searchResources('Practitioner', { _id: 'local-supervisor' }, { cache: 'no-cache' })).toHaveLength(1);
  await expect(requireEpisodeDefaultsOnFhir(fhir, defaults('Practitioner/local-supervisor'))).resolves.toBe('resolved');
  await expect(requireEpisodeDefaultsOnFhir(fhir, defaults('Practitioner/local-supervisor', 'Organization/none'))).rejects.toThrow(
    /^configuration error: INTAKE_AGENCY: Organization\/none not found/,
  );
});

test('a FHIR server that does not answer leaves the check to the Task writes', async () => {
  const fhir = createFhirClient({ baseUrl: 'http://127.0.0.1:1/fhir', auth: { kind: 'none' } });
  await expect(requireEpisodeDefaultsOnFhir(fhir, defaults('Practitioner/local-supervisor'))).resolves.toBe('unchecked');
});
