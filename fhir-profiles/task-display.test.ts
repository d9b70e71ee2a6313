import type { CodeSystem } from '@medplum/fhirtypes';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { episodeConfig, noon } from '../domain/episode/episode-fixtures.ts';
import { addRequirement } from '../domain/episode/requirements.ts';
import { initialState } from '../domain/episode/state.ts';
import { buildRequirementTask } from '../domain/fhir/requirement-task.ts';
import { DEADLINE_RULES } from '../domain/rules/index.ts';
import { deadlineOf } from '../domain/rules/deadline.ts';
import { REQUIREMENT_CODES, REQUIREMENT_SYSTEM } from '../domain/vocabulary.ts';
import { PACKAGE_DIR } from './validation.ts';

const published = JSON.parse(readFileSync(new URL('CodeSystem-documentation-requirement.json', PACKAGE_DIR), 'utf8')) as CodeSystem;

test('every Task we write shows the display the published CodeSystem gives its code', () => {
  expect(published.url).toBe(REQUIREMENT_SYSTEM);
  const state = initialState(episodeConfig('2026-01-15'));
  // One occurrence of every rule, already overdue, so each is escalated too.
  for (const rule of Object.values(DEADLINE_RULES)) {
    addRequirement(state, deadlineOf(rule, '2026-01-15', 1, state.config.policy, 'enc-1'), 'Encounter/enc-1', noon('2027-06-01'));
  }
  const tasks = Object.values(state.requirements).map((requirement) =>
    buildRequirementTask({ patient: 'Patient/p1', episodeOfCare: 'EpisodeOfCare/e1', agency: 'Organization/a1', requirement, now: noon('2027-06-01') }),
  );
  const codings = tasks.map((task) => task.code!.coding![0]!);
  expect(new Set(codings.map((coding) => coding.code))).toEqual(new Set(REQUIREMENT_CODES));
  for (const coding of codings) {
    expect(coding.system).toBe(REQUIREMENT_SYSTEM);
    expect(coding.display, coding.code).toBe(published.concept!.find((concept) => concept.code === coding.code)?.display);
  }
});
