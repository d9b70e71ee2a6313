import { describe, expect, test } from 'vitest';
import { applyEvent } from '../../domain/episode/apply-event.ts';
import { episodeConfig, event, noon, startedEpisode, written } from '../../domain/episode/episode-fixtures.ts';
import { advance } from '../../domain/episode/schedule.ts';
import { currentDetailsOf, searchAttributesOf, startSearchAttributesOf, staticSummaryOf } from './view.ts';

const attributes = (pairs: { key: { name: string }; value: unknown }[]) => Object.fromEntries(pairs.map(({ key, value }) => [key.name, value]));

describe('what coordinators see', () => {
  test('the list line: ids and the admission date', () => {
    expect(staticSummaryOf(episodeConfig('2026-01-15'))).toBe('Patient/p1 · EpisodeOfCare/e1 · admitted 2026-01-15');
  });

  test('search attributes at start: whose episode it is, active', () => {
    expect(attributes(startSearchAttributesOf(episodeConfig('2026-01-15')))).toEqual({
      CarePatientId: 'p1',
      CareEpisodeOfCareId: 'e1',
      CareSpecialistId: 'specialist-1',
      CareSupervisorId: 'supervisor-1',
      CareEpisodeStatus: 'active',
    });
  });

  test('search attributes as it runs: how many overdue and which, what is due next and when (the most overdue when all are)', () => {
    const now = noon('2026-04-20');
    const state = written(advance(startedEpisode('2026-01-15', noon('2026-01-15')), now));
    expect(attributes(searchAttributesOf(state))).toEqual({
      CarePatientId: 'p1',
      CareEpisodeOfCareId: 'e1',
      CareSpecialistId: 'specialist-1',
      CareSupervisorId: 'supervisor-1',
      CareEpisodeStatus: 'active',
      CareNextRequirement: 'CIP-INITIAL',
      CareNextDueAt: new Date(state.requirements['CIP-INITIAL/1']!.dueAt),
      CareOverdueCount: 3,
      CareOverdueRequirements: ['CIP-INITIAL', 'CIP-REVIEW', 'QR'],
    });
    const contacted = applyEvent(state, event({ type: 'contact-recorded', encounterId: 'c1', kind: 'face-to-face', date: '2026-04-20' }), now);
    expect(attributes(searchAttributesOf(contacted))).toMatchObject({ CareNextRequirement: 'NOTE-INDIVIDUAL', CareNextDueAt: new Date(contacted.requirements['NOTE-INDIVIDUAL/c1']!.dueAt) });
  });

  test('a closed episode says why', () => {
    let state = applyEvent(startedEpisode('2026-01-15', noon('2026-02-09')), event({ type: 'program-discharge', date: '2026-02-09' }), noon('2026-02-09'));
    state = applyEvent(state, event({ type: 'document-completed', requirement: 'DISCHARGE-PLAN', questionnaireResponseId: 'dp1', completedAt: '2026-02-12T10:00:00-06:00' }), noon('2026-02-12'));
    expect(attributes(searchAttributesOf(state))).toMatchObject({ CareEpisodeStatus: 'closed:discharge-plan-met', CareOverdueCount: 0 });
  });

  test('the details: pending requirements soonest due first, then what closed most recently, with Task, evidence or reason; no PHI', () => {
    const state = written(applyEvent(startedEpisode('2026-01-15', noon('2026-01-20')), event({ type: 'document-completed', requirement: 'CIP-INITIAL', questionnaireResponseId: 'cip1', completedAt: '2026-01-20T10:00:00-06:00' }), noon('2026-01-20')));
    const details = currentDetailsOf(state, noon('2026-01-20'));
    const lines = details.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '### EpisodeOfCare/e1 — active',
      'Admitted 2026-01-15 · as of 2026-01-20T18:00:00.000Z',
      '',
      '| requirement | cycle | due | status | owner | task | evidence / reason |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    ]);
    expect(lines[5]).toBe('| CIP-REVIEW | 2026-04-15 | 2026-04-15 | scheduled | Practitioner/specialist-1 |  |  |');
    expect(lines.at(-1)).toBe('| CIP-INITIAL | 1 | 2026-01-29 | met on time | Practitioner/specialist-1 | Task/task-CIP-INITIAL.1 | QuestionnaireResponse/cip1 |');
    expect(details).not.toContain('Patient/');
  });
});
