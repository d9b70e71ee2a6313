import { describe, expect, test } from 'vitest';
import { applyEvent } from './apply-event.ts';
import { ALL_PATCHES, type EpisodePatches, NO_PATCHES } from './patches.ts';
import { episodeConfig, event, noon } from './episode-fixtures.ts';
import { evidenceSearchFor, reconcile, startDeadlines } from './reconcile.ts';
import { hospitalContactDeadline, postHospitalContactDeadline } from '../rules/index.ts';
import { initialState } from './state.ts';

/** Admitted 2026-01-15, the workflow starts on 2026-05-01: CIP-INITIAL and the April review are past due. */
const START = noon('2026-05-01');
const state = initialState(episodeConfig('2026-01-15'));
const deadlines = startDeadlines(state, START);

describe('an episode that starts after its admission', () => {
  test('looks in the record for every requirement already open: the one-time ones since admission, the recurring ones of the current cycle', () => {
    const search = evidenceSearchFor(state, deadlines, START)!;
    expect(search.patient).toBe('Patient/p1');
    expect(search.items.map(({ key, taskIdentifier, faceToFace }) => ({ key, taskIdentifier, faceToFace }))).toEqual([
      { key: 'CIP-INITIAL/1', taskIdentifier: 'e1/CIP-INITIAL/1', faceToFace: false },
      { key: 'CIP-REVIEW/2026-04-15', taskIdentifier: 'e1/CIP-REVIEW/2026-04-15', faceToFace: false },
      { key: 'QR/2026-04-15', taskIdentifier: 'e1/QR/2026-04-15', faceToFace: false },
    ]);
    const cip = search.items[0]!;
    expect(cip).toMatchObject({ questionnaire: 'https://fhir.care-episodes.org/Questionnaire/crisis-intervention-plan', to: new Date(START).toISOString() });
    expect(Date.parse(cip.from)).toBeLessThan(noon('2026-01-15'));
  });

  test('asks for what each rule takes: the post-hospital contact a face-to-face contact or its note, a hospital week any contact', () => {
    const { policy } = state.config;
    const search = evidenceSearchFor(
      state,
      [postHospitalContactDeadline({ encounterId: 'h1', date: '2026-04-20' }, policy), hospitalContactDeadline({ encounterId: 'h2', admittedOn: '2026-04-22' }, 1, policy)],
      START,
    )!;
    expect(search.items.map(({ key, questionnaire, faceToFace, contactKinds }) => ({ key, questionnaire, faceToFace, contactKinds }))).toEqual([
      { key: 'POST-HOSPITAL-CONTACT/h1', questionnaire: 'https://fhir.care-episodes.org/Questionnaire/post-hospital-contact-note', faceToFace: true, contactKinds: ['face-to-face'] },
      { key: 'HOSPITAL-CONTACT/h2/week-1', questionnaire: undefined, faceToFace: true, contactKinds: ['face-to-face', 'collateral', 'crisis', 'treatment-team'] },
    ]);
    expect(deadlines.flatMap((deadline) => evidenceSearchFor(state, [deadline], START)?.items ?? []).every((item) => item.contactKinds === undefined)).toBe(true);
  });

  test('what the record shows met is recorded met by it, on time or late; the rest opens overdue and escalated; nothing is skipped', () => {
    const found = {
      'CIP-INITIAL/1': { reference: 'QuestionnaireResponse/cip1', at: '2026-02-02T10:00:00-06:00' },
      'CIP-REVIEW/2026-04-15': { reference: 'Task/t7', at: '2026-04-10T10:00:00-05:00' },
    };
    const next = reconcile(state, deadlines, found, START);
    expect(next.reconciled).toBe(true);
    const stage = (key: string) => next.requirements[key]?.stage;
    expect(next.requirements['CIP-INITIAL/1']).toMatchObject({ stage: 'met-late', evidence: 'QuestionnaireResponse/cip1', synced: false });
    expect(stage('CIP-REVIEW/2026-04-15')).toBe('met-on-time');
    expect(stage('QR/2026-04-15')).toBe('overdue');
    expect(next.requirements['ESCALATION/QR/2026-04-15']).toMatchObject({ stage: 'overdue', owner: 'Practitioner/supervisor-1' });
    expect(Object.keys(next.requirements).filter((key) => key.startsWith('ESCALATION'))).toEqual(['ESCALATION/QR/2026-04-15']);
    for (const deadline of deadlines) expect(Object.keys(next.requirements)).toContain(`${deadline.code}/${deadline.cycle}`);
    // The year ahead is scheduled too.
    expect(stage('QR/2026-07-15')).toBe('scheduled');
  });

  test('an episode that starts on its admission day has nothing to look for', () => {
    const fresh = initialState(episodeConfig('2026-05-01'));
    const search = evidenceSearchFor(fresh, startDeadlines(fresh, START), START);
    expect(search?.items.map((item) => item.key)).toEqual(['CIP-INITIAL/1']);
    expect(evidenceSearchFor(fresh, startDeadlines(fresh, noon('2026-04-30')), noon('2026-04-30'))).toBeUndefined();
  });
});

describe('an episode the intake starts with its discharge (the EHR had finished it)', () => {
  const discharged = applyEvent(state, event({ type: 'program-discharge', date: '2026-04-24' }), START);

  test('looks only for the Discharge Plan, and records it met when the record has it', () => {
    const deadlines = startDeadlines(discharged, START);
    expect(evidenceSearchFor(discharged, deadlines, START)?.items.map((item) => [item.key, item.questionnaire])).toEqual([
      ['DISCHARGE-PLAN/discharge', 'https://fhir.care-episodes.org/Questionnaire/discharge-plan'],
    ]);
    const next = reconcile(discharged, deadlines, { 'DISCHARGE-PLAN/discharge': { reference: 'QuestionnaireResponse/dp1', at: '2026-04-28T10:00:00-05:00' } }, START);
    expect(Object.keys(next.requirements)).toEqual(['DISCHARGE-PLAN/discharge']);
    expect(next).toMatchObject({ status: 'closed', closedReason: 'discharge-plan-met' });
  });

  test('discharged so long ago that the grace period is over: closed only once the record was searched', () => {
    const longAgo = applyEvent(state, event({ type: 'program-discharge', date: '2026-02-02' }), START);
    expect(longAgo.status).toBe('discharged');
    const deadlines = startDeadlines(longAgo, START);
    expect(reconcile(longAgo, deadlines, {}, START)).toMatchObject({ status: 'closed', closedReason: 'grace-period-ended' });
    const found = { 'DISCHARGE-PLAN/discharge': { reference: 'QuestionnaireResponse/dp1', at: '2026-02-10T10:00:00-06:00' } };
    expect(reconcile(longAgo, deadlines, found, START)).toMatchObject({ status: 'closed', closedReason: 'discharge-plan-met' });
  });

  test('histories recorded before the change opened the admission\'s requirements in the discharged episode', () => {
    const deadlines = startDeadlines(discharged, START, NO_PATCHES);
    expect(deadlines.map((deadline) => deadline.code)).toContain('CIP-INITIAL');
    expect(reconcile(discharged, deadlines, {}, START, NO_PATCHES).requirements['CIP-INITIAL/1']?.stage).toBe('overdue');
  });
});

describe('an event that reaches an existing client\'s episode before its start is reconciled (signal-with-start)', () => {
  /** Admitted two years before the workflow starts; the intake's first event arrives with the start. */
  const overdueAfterStart = (patches: EpisodePatches) => {
    const existing = initialState(episodeConfig('2024-01-15'));
    const restated = applyEvent(existing, event({ type: 'staff-reassigned', role: 'specialist', practitioner: 'Practitioner/specialist-2' }), START, patches);
    const next = reconcile(restated, startDeadlines(restated, START, patches), {}, START, patches);
    return Object.values(next.requirements)
      .filter((requirement) => requirement.stage === 'overdue' && requirement.code !== 'ESCALATION')
      .map((requirement) => requirement.key)
      .sort();
  };

  test('schedules nothing itself: the start opens the current cycle only', () => {
    expect(overdueAfterStart(ALL_PATCHES)).toEqual(['ANNUAL-ASSESSMENT/2026-01-31', 'CIP-ANNUAL/2026-01-31', 'CIP-INITIAL/1', 'CIP-REVIEW/2026-04-15', 'QR/2026-04-15']);
  });

  test('histories recorded before the change opened every recurring requirement since admission, overdue', () => {
    const legacy = overdueAfterStart(NO_PATCHES);
    expect(legacy).toContain('QR/2024-04-15');
    expect(legacy).toContain('ANNUAL-ASSESSMENT/2025-01-31');
    expect(legacy.length).toBeGreaterThan(15);
  });
});
