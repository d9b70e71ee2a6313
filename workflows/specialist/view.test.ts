import { expect, test } from 'vitest';
import { completeWeeksBy } from '../../domain/specialist/contact-hours.ts';
import { applyAll, contactEvent, DAY, specialistState, START, withEpisodes } from '../../domain/specialist/specialist-fixtures.ts';
import { specialistDetailsOf, specialistSearchAttributesOf, specialistSummaryOf } from './view.ts';

const WEEK_END = Date.parse('2026-11-09T06:00:00Z');
const state = completeWeeksBy(applyAll(withEpisodes(specialistState(), 31), [contactEvent('c1', START, 22 * 60 + 30)]), WEEK_END);

test('the summary line: ids and numbers', () => {
  expect(specialistSummaryOf(state)).toBe('Practitioner/s1 · caseload 31/30 · 22.50 h/week avg');
  expect(specialistSummaryOf(specialistState())).toBe('Practitioner/s1 · caseload 0/30 · no complete week yet');
});

test('search attributes: the specialist id, the count, the average and whether past the cap', () => {
  expect(specialistSearchAttributesOf(state).map(({ key, value }) => [key.name, value])).toEqual([
    ['CareSpecialistId', 's1'],
    ['CareCaseload', 31],
    ['CareContactHoursAverage', 22.5],
    ['CareCaseloadOverCap', true],
  ]);
});

test('the details: the caseload, the weeks with their targets and reports, the open Tasks', () => {
  const details = specialistDetailsOf(state, WEEK_END + DAY);
  expect(details).toContain('### Practitioner/s1 · caseload 31/30 · 22.50 h/week avg');
  expect(details).toMatch(/\*\*Caseload\*\* \(31 counted\): EpisodeOfCare\/e1, (EpisodeOfCare\/e\d+, ){29}EpisodeOfCare\/e\d+\n/);
  expect(details).toContain('| 2026-W45 | 2026-11-02 | 22.50 | 25.00 | 1 |  (to write) |');
  expect(details).toContain('**Open Tasks**: CASELOAD/1 over-cap');
});
