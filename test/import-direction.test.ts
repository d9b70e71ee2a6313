/**
 * The layers' import rule (eslint.config.js, `layers/import-direction`) as ESLint applies it to a
 * file placed in each folder: the wrong way fails lint, the right way passes.
 */
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: ROOT });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'layers/import-direction').map((message) => message.message);
}

describe('imports point one way', () => {
  test.each([
    ['domain/episode/example.ts', "import { loadConfig } from '../../platform/config.ts';\nvoid loadConfig;\n", 'domain/ may not import platform/'],
    ['domain/rules/example.ts', "export { clientEpisode } from '../../workflows/episode/client-episode.ts';\n", 'domain/ may not import workflows/'],
    ['domain/example.ts', "const m = await import('../activities/index.ts');\nvoid m;\n", 'domain/ may not import activities/'],
    ['platform/example.ts', "export * from '../domain/vocabulary.ts';\n", 'platform/ may not import domain/'],
    ['workflows/episode/example.ts', "import type { CareActivities } from '../../activities/index.ts';\nexport type A = CareActivities;\n", 'workflows/ may not import activities/'],
    ['workflows/example.ts', "import { loadConfig } from '../platform/config.ts';\nvoid loadConfig;\n", 'workflows/ may not import platform/'],
    ['activities/example.ts', "import { main } from '../intake/main.ts';\nvoid main;\n", 'activities/ may not import intake/'],
    ['intake/example.ts', "import { startFhirServer } from '../fhir-server/server.ts';\nvoid startFhirServer;\n", 'intake/ may not import fhir-server/'],
    ['fhir-server/example.ts', "import { freePort } from '../local-stack/dev-server.ts';\nvoid freePort;\n", 'fhir-server/ may not import local-stack/'],
  ])('%s: %s fails', async (file, code, error) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(error);
  });

  test.each([
    ['domain/episode/example.ts', "import { DEADLINE_RULES } from '../rules/index.ts';\nvoid DEADLINE_RULES;\n"],
    ['workflows/episode/example.ts', "import { applyEvent } from '../../domain/episode/apply-event.ts';\nvoid applyEvent;\n"],
    ['activities/example.ts', "import { fhirClient } from '../platform/fhir-client.ts';\nimport { clientEpisode } from '../workflows/index.ts';\nvoid fhirClient; void clientEpisode;\n"],
    ['local-stack/example.ts', "import { startFhirServer } from '../fhir-server/server.ts';\nvoid startFhirServer;\n"],
    ['test/example.test.ts', "import { startFhirServer } from '../fhir-server/server.ts';\nvoid startFhirServer;\n"],
  ])('%s: the right way passes', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
