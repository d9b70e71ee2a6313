import type { CodeSystem, Encounter, Resource, StructureDefinition, Task } from '@medplum/fhirtypes';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import {
  CANONICAL_BASE,
  QUESTIONNAIRE_FOR_REQUIREMENT,
  REQUIREMENT_CODES,
  REQUIREMENT_SYSTEM,
  REQUIREMENT_TASK_PROFILE,
  TASK_STATUS_CODES,
  TASK_STATUS_SYSTEM,
  SPECIALIST_REQUIREMENT_CODES,
  SPECIALIST_REQUIREMENT_SYSTEM,
  SPECIALIST_TASK_STATUS_CODES,
  SPECIALIST_TASK_STATUS_SYSTEM,
  TRAVEL_TIME_EXTENSION,
} from '../domain/vocabulary.ts';
import { buildPackage, listPackageFiles, serialize } from './build-package.ts';
import { examples } from './definitions/examples.ts';
import { PACKAGE_DIR, carePackageResources, validateFhirResource } from './validation.ts';

const packageDir = fileURLToPath(PACKAGE_DIR);
const built = buildPackage();
const resources = carePackageResources();
const byUrl = new Map(resources.map((r) => [(r as { url?: string }).url, r]));
const example = <T extends Resource>(id: string): T => structuredClone(examples.find((r) => r.id === id) as T);
const flagged = (resource: Resource): string[] => validateFhirResource(resource).flatMap((i) => i.expression ?? []);

describe('the committed package', () => {
  test('is what `node fhir-profiles/build-package.ts` generates (run it if this fails)', () => {
    expect(listPackageFiles(packageDir)).toEqual([...built.keys()].sort());
    for (const [path, content] of built) {
      expect(readFileSync(`${packageDir}/${path}`, 'utf8'), path).toBe(serialize(content));
    }
  });

  test('has an NPM FHIR package manifest for R4 with our canonical base', () => {
    expect(built.get('package.json')).toMatchObject({ fhirVersions: ['4.0.1'], canonical: CANONICAL_BASE });
  });

  test('gives every conformance resource a stable id and a canonical URL under our base', () => {
    for (const resource of resources) {
      const { url, id } = resource as { url: string; id: string };
      expect(url).toBe(`${CANONICAL_BASE}/${resource.resourceType}/${id}`);
    }
  });

  test('defines every requirement and business status code of the vocabulary, each with a definition', () => {
    const codes = (url: string) => ((byUrl.get(url) as CodeSystem).concept ?? []).filter((c) => c.definition).map((c) => c.code);
    expect(codes(REQUIREMENT_SYSTEM)).toEqual([...REQUIREMENT_CODES]);
    expect(codes(TASK_STATUS_SYSTEM)).toEqual([...TASK_STATUS_CODES]);
    expect(codes(SPECIALIST_REQUIREMENT_SYSTEM)).toEqual([...SPECIALIST_REQUIREMENT_CODES]);
    expect(codes(SPECIALIST_TASK_STATUS_SYSTEM)).toEqual([...SPECIALIST_TASK_STATUS_CODES]);
  });

  test('has the Questionnaire of every document requirement', () => {
    for (const url of Object.values(QUESTIONNAIRE_FOR_REQUIREMENT)) {
      expect(byUrl.get(url)?.resourceType, url).toBe('Questionnaire');
    }
  });

  test('ships every profile with a snapshot', () => {
    const profiles = resources.filter((r): r is StructureDefinition => r.resourceType === 'StructureDefinition');
    expect(profiles.map((p) => p.url)).toContain(REQUIREMENT_TASK_PROFILE);
    for (const profile of profiles) {
      expect(profile.snapshot?.element.length, profile.url).toBeGreaterThan(profile.differential?.element.length ?? 0);
    }
  });
});

describe('validation of the package', () => {
  test.each(resources.map((r) => [`${r.resourceType}/${r.id}`, r]))('%s is valid R4', (_name, resource) => {
    expect(validateFhirResource(resource)).toEqual([]);
  });

  test.each(examples.map((r) => [`${r.resourceType}/${r.id}`, r]))('example %s is valid against R4 and its profile', (_name, resource) => {
    for (const profile of resource.meta?.profile ?? []) {
      expect(byUrl.has(profile), profile).toBe(true);
    }
    expect(validateFhirResource(resource)).toEqual([]);
  });

  test('every Questionnaire has a completed example response', () => {
    const answered = new Set(examples.flatMap((r) => (r.resourceType === 'QuestionnaireResponse' ? [r.questionnaire] : [])));
    for (const resource of resources.filter((r) => r.resourceType === 'Questionnaire')) {
      expect(answered.has((resource as { url: string }).url), resource.id).toBe(true);
    }
  });
});

describe('broken examples fail, naming the element', () => {
  const task = () => example<Task>('example-task-cip-initial');

  test('a requirement Task without an owner', () => {
    const broken = { ...task(), owner: undefined };
    expect(flagged(broken)).toEqual(['Task.owner']);
  });

  test('a requirement Task owned by an Organization', () => {
    expect(flagged({ ...task(), owner: { reference: 'Organization/example-agency' } })).toEqual(['Task.owner']);
  });

  test('a requirement code outside the ValueSet', () => {
    const broken = task();
    broken.code = { coding: [{ system: REQUIREMENT_SYSTEM, code: 'LUNCH' }] };
    const issues = validateFhirResource(broken);
    expect(issues.map((i) => i.expression?.[0])).toContain('Task.code');
    expect(issues.find((i) => i.expression?.[0] === 'Task.code')?.details?.text).toContain('LUNCH');
  });

  test('a due date (restriction.period.end) missing', () => {
    const broken = task();
    broken.restriction = { period: { start: '2026-01-15' } };
    expect(flagged(broken)).toEqual(['Task.restriction.period.end']);
  });

  test('a cancelled Task without statusReason', () => {
    const broken = example<Task>('example-task-post-hospital-contact');
    delete broken.statusReason;
    expect(validateFhirResource(broken).map((i) => i.details?.text)).toEqual([expect.stringContaining('Task.statusReason')]);
  });

  test('an escalation without partOf', () => {
    const broken = example<Task>('example-task-escalation');
    delete broken.partOf;
    expect(validateFhirResource(broken).map((i) => i.details?.text)).toEqual([expect.stringContaining('Task.partOf')]);
  });

  test('a document requirement pointing at the wrong Questionnaire', () => {
    const broken = task();
    broken.input = [{ ...broken.input![0]!, valueCanonical: QUESTIONNAIRE_FOR_REQUIREMENT.QR }];
    expect(validateFhirResource(broken).map((i) => i.details?.text)).toEqual([expect.stringContaining('valueCanonical')]);
  });

  test('a requirement key that is not <episode>/<code>/<cycle>', () => {
    const broken = task();
    broken.identifier = [{ ...broken.identifier![0]!, value: 'cip' }];
    expect(flagged(broken)).toEqual(['Task.identifier[0]']);
  });

  test('a business status outside the ValueSet', () => {
    const broken = task();
    broken.businessStatus = { coding: [{ system: TASK_STATUS_SYSTEM, code: 'forgotten' }] };
    expect(flagged(broken)).toEqual(['Task.businessStatus']);
  });

  test('an episode without its specialist (careManager)', () => {
    expect(flagged({ ...example('example-episode'), careManager: undefined } as Resource)).toEqual(['EpisodeOfCare.careManager']);
  });

  test('a hospital stay coded as an outpatient visit', () => {
    const broken = example<Resource & { class: object }>('example-hospital-stay');
    broken.class = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' };
    expect(flagged(broken)).toEqual(['Encounter.class']);
  });

  test('a profile is enforced only when the resource claims it', () => {
    const unprofiled = { ...task(), meta: undefined, owner: undefined };
    expect(validateFhirResource(unprofiled)).toEqual([]);
  });
});

describe('a contact with its time and travel time', () => {
  const visit = () => example<Encounter>('example-home-visit');

  test('carries Encounter.length and the travel-time extension, valid against the contact profile', () => {
    expect(visit().length).toMatchObject({ code: 'min' });
    expect(visit().extension?.map((each) => each.url)).toEqual([TRAVEL_TIME_EXTENSION]);
    expect(validateFhirResource(visit())).toEqual([]);
  });

  test.each([
    ['in weeks', { value: 1, system: 'http://unitsofmeasure.org', code: 'wk' }],
    ['negative', { value: -5, system: 'http://unitsofmeasure.org', code: 'min' }],
    ['without a UCUM code', { value: 20, unit: 'minutes' }],
  ])('travel time %s is refused by the contact profile (cce-2)', (_what, valueDuration) => {
    const broken = { ...visit(), extension: [{ url: TRAVEL_TIME_EXTENSION, valueDuration }] };
    expect(validateFhirResource(broken).map((issue) => issue.details?.text)).toEqual([expect.stringContaining('cce-2')]);
  });

  test('travel time as anything but a Duration is refused', () => {
    const broken = { ...visit(), extension: [{ url: TRAVEL_TIME_EXTENSION, valueString: 'half an hour' }] };
    expect(validateFhirResource(broken).map((issue) => issue.details?.text)).toEqual([expect.stringContaining('cce-2')]);
  });
});

describe("a specialist's Tasks and weekly report", () => {
  test('a ready CASELOAD Task must say why it is open (spt-1)', () => {
    const broken = example<Task>('example-task-caseload');
    broken.businessStatus = { coding: [{ system: SPECIALIST_TASK_STATUS_SYSTEM, code: 'approved' }] };
    expect(validateFhirResource(broken).map((issue) => issue.details?.text)).toEqual([expect.stringContaining('spt-1')]);
  });

  test('an EHR may complete it as it stands', () => {
    expect(validateFhirResource({ ...example<Task>('example-task-caseload'), status: 'completed' })).toEqual([]);
  });

  test('its key is <Practitioner id>/<code>/<n> (spt-2)', () => {
    const broken = example<Task>('example-task-caseload');
    broken.identifier![0]!.value = 'example-specialist/CASELOAD/first';
    expect(validateFhirResource(broken).map((issue) => issue.details?.text)).toEqual([expect.stringContaining('spt-2')]);
  });

  test('it is for a Practitioner, not the client', () => {
    expect(flagged({ ...example<Task>('example-task-caseload'), for: { reference: 'Patient/example-client' } })).toEqual(['Task.for']);
  });

  test('a weekly report is keyed <Practitioner id>/<ISO week> (chr-1) and has both groups', () => {
    const report = example<Resource & { identifier: { value: string }[]; group: unknown[] }>('example-contact-hours-2026-W47');
    expect(validateFhirResource({ ...report, identifier: [{ ...report.identifier[0]!, value: 'example-specialist/2026-11-16' }] } as Resource).map((issue) => issue.details?.text)).toEqual([
      expect.stringContaining('chr-1'),
    ]);
    expect(flagged({ ...report, group: report.group.slice(0, 1) } as Resource)).toEqual(['MeasureReport.group']);
  });
});
