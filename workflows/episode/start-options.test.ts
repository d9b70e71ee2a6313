import { expect, test } from 'vitest';
import { CARE_SEARCH_ATTRIBUTES } from '../search-attributes.ts';
import { episodeStartOptions } from './start-options.ts';

const input = {
  patient: 'Patient/p1',
  episodeOfCare: 'EpisodeOfCare/e1',
  specialist: 'PractitionerRole/s1',
  supervisor: 'Practitioner/sup1',
  agency: 'Organization/a1',
  admissionDate: '2026-01-15',
};

test('one workflow per EpisodeOfCare that a second start joins and a completed one never restarts, with summary and search attributes', () => {
  const options = episodeStartOptions(input, 'care-episodes');
  const { typedSearchAttributes, ...rest } = options;
  expect(rest).toEqual({
    args: [input],
    taskQueue: 'care-episodes',
    workflowId: 'episode-e1',
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    staticSummary: 'Patient/p1 · EpisodeOfCare/e1 · admitted 2026-01-15',
  });
  expect(Object.fromEntries(typedSearchAttributes.map(({ key, value }) => [key.name, value]))).toEqual({
    CarePatientId: 'p1',
    CareEpisodeOfCareId: 'e1',
    CareSpecialistId: 's1',
    CareSupervisorId: 'sup1',
    CareEpisodeStatus: 'active',
  });
  for (const { key } of typedSearchAttributes) expect(CARE_SEARCH_ATTRIBUTES).toContain(key);
});

test('an invalid input is refused before anything is sent to Temporal', () => {
  expect(() => episodeStartOptions({ ...input, patient: 'Alex Example' }, 'care-episodes')).toThrow(/patient/);
});
