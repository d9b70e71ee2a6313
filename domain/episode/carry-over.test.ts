import { expect, test } from 'vitest';
import { applyEvent } from './apply-event.ts';
import { carryOver } from './carry-over.ts';
import { event, type EventFields, noon, startedEpisode, written } from './episode-fixtures.ts';
import { advance } from './schedule.ts';
import type { EpisodeState } from './state.ts';

const apply = (state: EpisodeState, fields: EventFields, now: number) => written(applyEvent(state, event(fields), now));

/** Admitted 2026-01-15: a January contact with its note done, a March contact whose note is not, and the April review met. */
function episode(): EpisodeState {
  let state = startedEpisode('2026-01-15', noon('2026-01-15'));
  state = apply(state, { type: 'document-completed', requirement: 'CIP-INITIAL', questionnaireResponseId: 'cip1', completedAt: '2026-01-20T10:00:00-06:00' }, noon('2026-01-20'));
  state = apply(state, { type: 'contact-recorded', encounterId: 'c1', kind: 'face-to-face', date: '2026-01-21' }, noon('2026-01-21'));
  state = apply(state, { type: 'document-completed', requirement: 'NOTE-INDIVIDUAL', cycle: 'c1', questionnaireResponseId: 'n1', completedAt: '2026-01-21T15:00:00-06:00' }, noon('2026-01-21'));
  state = apply(state, { type: 'contact-recorded', encounterId: 'c2', kind: 'face-to-face', date: '2026-03-02' }, noon('2026-03-02'));
  state = written(advance(state, noon('2026-04-01')));
  return apply(state, { type: 'document-completed', requirement: 'QR', questionnaireResponseId: 'qr1', completedAt: '2026-04-10T10:00:00-05:00' }, noon('2026-04-10'));
}

test('at continue-as-new, requirements closed more than 90 days ago leave the state; pending and recently closed ones stay', () => {
  const state = episode();
  const next = carryOver(state, noon('2026-05-01'));
  expect(next.retiredKeys).toEqual(['CIP-INITIAL/1', 'NOTE-INDIVIDUAL/c1']);
  expect(Object.keys(next.requirements)).not.toContain('CIP-INITIAL/1');
  expect(next.requirements['NOTE-INDIVIDUAL/c2']).toEqual(state.requirements['NOTE-INDIVIDUAL/c2']);
  expect(next.requirements['ESCALATION/NOTE-INDIVIDUAL/c2']).toMatchObject({ stage: 'overdue', taskId: 'task-ESCALATION.NOTE-INDIVIDUAL.c2' });
  expect(next.requirements['QR/2026-04-15']).toMatchObject({ stage: 'met-on-time' });
  for (const requirement of Object.values(state.requirements)) {
    if (!requirement.closedAt) expect(next.requirements[requirement.key]).toEqual(requirement);
  }
  expect(next.eventsThisRun).toBe(0);
});

test('a closed requirement whose Task still lags behind is carried whatever its age', () => {
  const state = episode();
  state.requirements['CIP-INITIAL/1']!.synced = false;
  expect(Object.keys(carryOver(state, noon('2026-05-01')).requirements)).toContain('CIP-INITIAL/1');
});

test('a retired requirement does not open again when its trigger is seen again', () => {
  const next = carryOver(episode(), noon('2026-05-01'));
  const again = applyEvent(next, event({ type: 'contact-recorded', encounterId: 'c1', kind: 'face-to-face', date: '2026-01-21' }), noon('2026-05-02'));
  expect(again.requirements['NOTE-INDIVIDUAL/c1']).toBeUndefined();
  const retired = carryOver(again, noon('2026-09-01')).retiredKeys ?? [];
  expect(retired.slice(0, 2)).toEqual(['CIP-INITIAL/1', 'NOTE-INDIVIDUAL/c1']);
  expect(retired).toContain('QR/2026-04-15');
  expect(new Set(retired).size).toBe(retired.length);
});
