import { describe, expect, test } from 'vitest';
import { applyEvent } from './apply-event.ts';
import { event, noon, startedEpisode, written } from './episode-fixtures.ts';
import { advance, nextWakeUp } from './schedule.ts';
import type { EpisodeState } from './state.ts';

const keysIn = (state: EpisodeState, stage: string) =>
  Object.values(state.requirements)
    .filter((requirement) => requirement.stage === stage)
    .map((requirement) => requirement.key)
    .sort();

describe('advance: what the clock brings', () => {
  test('at admission the year ahead is scheduled: three quarterly reviews with their crisis plan reviews, then the annual cycle, no January review', () => {
    const state = startedEpisode('2026-01-15', noon('2026-01-15'));
    expect(keysIn(state, 'open')).toEqual(['CIP-INITIAL/1']);
    expect(keysIn(state, 'scheduled')).toEqual([
      'ANNUAL-ASSESSMENT/2027-01-31',
      'CIP-ANNUAL/2027-01-31',
      'CIP-REVIEW/2026-04-15',
      'CIP-REVIEW/2026-07-15',
      'CIP-REVIEW/2026-10-15',
      'QR/2026-04-15',
      'QR/2026-07-15',
      'QR/2026-10-15',
    ]);
  });

  test('a review opens 30 days before it is due and turns due soon 2 business days before', () => {
    const state = startedEpisode('2026-01-15', noon('2026-01-15'));
    expect(advance(state, noon('2026-03-15')).requirements['QR/2026-04-15']?.stage).toBe('scheduled');
    expect(advance(state, noon('2026-03-16')).requirements['QR/2026-04-15']?.stage).toBe('open');
    expect(advance(state, noon('2026-04-13')).requirements['QR/2026-04-15']?.stage).toBe('due-soon');
    expect(advance(state, noon('2026-04-16')).requirements['QR/2026-04-15']?.stage).toBe('overdue');
  });

  test('recurring requirements are scheduled further as time passes', () => {
    const later = advance(startedEpisode('2026-01-15', noon('2026-01-15')), noon('2026-09-01'));
    expect(Object.keys(later.requirements)).toContain('QR/2027-04-15');
    expect(Object.keys(later.requirements)).not.toContain('QR/2027-01-15');
  });

  test('while a stay lasts, its next week is always known', () => {
    const admitted = applyEvent(startedEpisode('2026-01-15', noon('2026-03-02')), event({ type: 'hospital-admission', encounterId: 'h1', admittedOn: '2026-03-02' }), noon('2026-03-02'));
    expect(Object.keys(admitted.requirements).filter((key) => key.startsWith('HOSPITAL-CONTACT'))).toEqual(['HOSPITAL-CONTACT/h1/week-1', 'HOSPITAL-CONTACT/h1/week-2']);
    const later = advance(admitted, noon('2026-03-20'));
    expect(Object.keys(later.requirements).filter((key) => key.startsWith('HOSPITAL-CONTACT'))).toHaveLength(4);
  });

  test.each([
    ['the Discharge Plan is met', 'document-completed', noon('2026-02-15'), { status: 'closed', closedReason: 'discharge-plan-met' }],
    ['the grace period after its due date is not over', undefined, noon('2026-03-21'), { status: 'discharged' }],
    ['the grace period ends without it', undefined, noon('2026-03-22'), { status: 'closed', closedReason: 'grace-period-ended' }],
  ] as const)('a discharged episode closes when %s', (_name, completed, now, expected) => {
    let state = written(applyEvent(startedEpisode('2026-01-15', noon('2026-02-09')), event({ type: 'program-discharge', date: '2026-02-09' }), noon('2026-02-09')));
    if (completed) {
      state = applyEvent(state, event({ type: completed, requirement: 'DISCHARGE-PLAN', questionnaireResponseId: 'dp1', completedAt: new Date(now).toISOString() }), now);
    }
    expect(advance(state, now)).toMatchObject(expected);
  });
});

describe('nextWakeUp: the one timer, with what it waits for', () => {
  const state = startedEpisode('2026-01-15', noon('2026-01-15'));
  test.each([
    [noon('2026-01-15'), '2026-01-27', 'CIP-INITIAL/1 due soon'],
    [noon('2026-01-28'), '2026-01-30', 'CIP-INITIAL/1 overdue'],
  ] as const)('at %s: %s, %s', (now, localDay, summary) => {
    const wakeUp = nextWakeUp(advance(state, now), now)!;
    expect(wakeUp.summary).toBe(summary);
    expect(new Date(wakeUp.at).toLocaleDateString('en-CA', { timeZone: 'America/Chicago' })).toBe(localDay);
  });

  test('past every open deadline it waits for the next review to open', () => {
    const now = noon('2026-02-10');
    expect(nextWakeUp(advance(state, now), now)?.summary).toBe('CIP-REVIEW/2026-04-15 opens');
  });

  test('a discharged episode waits for the end of the grace period; a closed one for nothing', () => {
    const discharged = advance(applyEvent(state, event({ type: 'program-discharge', date: '2026-02-09' }), noon('2026-02-09')), noon('2026-02-25'));
    expect(nextWakeUp(discharged, noon('2026-02-25'))?.summary).toBe('discharge plan grace period ends');
    expect(nextWakeUp(advance(discharged, noon('2026-04-01')), noon('2026-04-01'))).toBeUndefined();
  });
});
