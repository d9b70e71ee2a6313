import type { CarePlan, Encounter, EpisodeOfCare } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { episodeRouteOfEncounter, latestEpisode, treatmentPlanAmong } from './episode-lookup.ts';

const encounter = (fields: Partial<Encounter>): Encounter => ({ resourceType: 'Encounter', id: 'h1', status: 'in-progress', class: { code: 'IMP' }, ...fields });
const episode = (id: string, start?: string): EpisodeOfCare => ({ resourceType: 'EpisodeOfCare', id, status: 'active', patient: { reference: 'Patient/p1' }, ...(start ? { period: { start } } : {}) });
const plan = (id: string | undefined, ...episodes: string[]): CarePlan => ({
  resourceType: 'CarePlan',
  ...(id ? { id } : {}),
  status: 'active',
  intent: 'plan',
  subject: { reference: 'Patient/p1' },
  supportingInfo: episodes.map((reference) => ({ reference })),
});

describe("an Encounter's episode", () => {
  test('its own episodeOfCare, the first that is an EpisodeOfCare reference, in any form', () => {
    const route = episodeRouteOfEncounter(encounter({
      episodeOfCare: [{ reference: 'Patient/p1' }, { reference: 'https://ehr.example/fhir/EpisodeOfCare/e2/_history/4' }, { reference: 'EpisodeOfCare/e3' }],
      subject: { reference: 'Patient/p1' },
    }));
    expect(route).toEqual({ by: 'episode', episodeOfCare: 'EpisodeOfCare/e2' });
  });

  test("else its subject's active episode", () => {
    expect(episodeRouteOfEncounter(encounter({ subject: { reference: 'Patient/p1' } }))).toEqual({ by: 'patient', patient: 'Patient/p1' });
    expect(episodeRouteOfEncounter(encounter({ episodeOfCare: [{ display: 'no reference' }], subject: { reference: 'Patient/p1' } }))).toEqual({ by: 'patient', patient: 'Patient/p1' });
  });

  test('none without either (a subject that is not a Patient)', () => {
    expect(episodeRouteOfEncounter(encounter({ subject: { reference: 'Group/g1' } }))).toBeUndefined();
    expect(episodeRouteOfEncounter(encounter({}))).toBeUndefined();
  });
});

describe("of a patient's active episodes", () => {
  test('the latest admission; one without a start counts as the earliest; none of none', () => {
    expect(latestEpisode([episode('old', '2025-01-10'), episode('new', '2026-03-01'), episode('undated')])).toBe('EpisodeOfCare/new');
    expect(latestEpisode([episode('undated'), episode('dated', '2020-01-01')])).toBe('EpisodeOfCare/dated');
    expect(latestEpisode([])).toBeUndefined();
  });

  test('of two admitted the same day, the first the server returned', () => {
    expect(latestEpisode([episode('a', '2026-03-01'), episode('b', '2026-03-01')])).toBe('EpisodeOfCare/a');
  });
});

describe("an episode's treatment plan", () => {
  const e1 = episode('e1', '2026-01-15');
  test('the active CarePlan whose supportingInfo names the episode, in any reference form', () => {
    expect(treatmentPlanAmong([plan('other', 'EpisodeOfCare/e9'), plan('cp1', 'https://ehr.example/fhir/EpisodeOfCare/e1')], e1)).toBe('CarePlan/cp1');
  });

  test('none when no plan names it (a plan naming another episode, or a similar id, is not it)', () => {
    expect(treatmentPlanAmong([plan('cp9', 'EpisodeOfCare/e10'), plan('cp8')], e1)).toBeUndefined();
    expect(treatmentPlanAmong([], e1)).toBeUndefined();
    expect(treatmentPlanAmong([plan(undefined, 'EpisodeOfCare/e1')], e1)).toBeUndefined();
  });
});
