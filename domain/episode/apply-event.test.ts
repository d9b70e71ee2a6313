import { describe, expect, test } from 'vitest';
import { applyEvent, isOlderThanApplied, sourceOf } from './apply-event.ts';
import { ALL_PATCHES, type EpisodePatches, NO_PATCHES } from './patches.ts';
import { event, type EventFields, noon, startedEpisode, unsyncedKeys, written } from './episode-fixtures.ts';
import { advance } from './schedule.ts';
import type { EpisodeState } from './state.ts';

const apply = (state: EpisodeState, fields: EventFields, now: number, patches: EpisodePatches = ALL_PATCHES) =>
  applyEvent(state, event(fields), now, patches);

const stages = (state: EpisodeState, code: string) =>
  Object.fromEntries(
    Object.values(state.requirements)
      .filter((requirement) => requirement.code === code)
      .map((requirement) => [requirement.cycle, requirement.stage]),
  );

describe('staff-reassigned', () => {
  const now = noon('2026-01-20');
  /** CIP-INITIAL open with its Task written, and given to another practitioner in the EHR. */
  const regiven = () => {
    const started = startedEpisode('2026-01-15', now);
    const taskId = started.requirements['CIP-INITIAL/1']!.taskId!;
    return apply(started, { type: 'task-changed', taskId, status: 'ready', owner: 'Practitioner/covering', at: new Date(now).toISOString() }, now);
  };

  test('naming the specialist already in charge changes no requirement and writes no Task', () => {
    const before = regiven();
    const after = apply(before, { type: 'staff-reassigned', role: 'specialist', practitioner: 'Practitioner/specialist-1' }, now);
    expect(after.requirements).toEqual(before.requirements);
    expect(after.requirements['CIP-INITIAL/1']?.owner).toBe('Practitioner/covering');
    expect(unsyncedKeys(after)).toEqual([]);
    expect(after.config).toEqual(before.config);
  });

  test('histories recorded before the change keep re-owning and re-writing every open Task', () => {
    const after = apply(regiven(), { type: 'staff-reassigned', role: 'specialist', practitioner: 'Practitioner/specialist-1' }, now, NO_PATCHES);
    expect(after.requirements['CIP-INITIAL/1']?.owner).toBe('Practitioner/specialist-1');
    expect(unsyncedKeys(after)).toEqual(['CIP-INITIAL/1']);
  });

  test.each([
    ['specialist', 'Practitioner/specialist-2', 'CIP-INITIAL/1'],
    ['supervisor', 'PractitionerRole/supervisor-2', 'ESCALATION/CIP-INITIAL/1'],
  ] as const)('a new %s takes over the open requirements of the role, and only those', (role, practitioner, moved) => {
    const overdue = startedEpisode('2026-01-15', noon('2026-02-02'));
    expect(stages(overdue, 'ESCALATION')).toEqual({ 'CIP-INITIAL/1': 'overdue' });
    const after = apply(overdue, { type: 'staff-reassigned', role, practitioner }, noon('2026-02-02'));
    expect(after.config[role]).toBe(practitioner);
    expect(unsyncedKeys(after)).toEqual([moved]);
    expect(after.requirements[moved]?.owner).toBe(practitioner);
    const other = moved === 'CIP-INITIAL/1' ? 'ESCALATION/CIP-INITIAL/1' : 'CIP-INITIAL/1';
    expect(after.requirements[other]?.owner).toBe(overdue.requirements[other]?.owner);
  });
});

describe('a hospital stay', () => {
  const admission = { type: 'hospital-admission', encounterId: 'h1', admittedOn: '2026-03-02' } as const;
  const release = { type: 'hospital-release', encounterId: 'h1', releasedOn: '2026-03-20' } as const;

  test('reported only once it had ended (admission and release together): no HOSPITAL-CONTACT Task, the post-hospital contact opens', () => {
    const now = noon('2026-03-25');
    const before = startedEpisode('2026-01-15', now);
    const admitted = apply(before, admission, now);
    // Alone, the admission would open every week of the stay so far, the past ones overdue and escalated.
    expect(stages(admitted, 'HOSPITAL-CONTACT')).toEqual({
      'h1/week-1': 'overdue',
      'h1/week-2': 'overdue',
      'h1/week-3': 'overdue',
      'h1/week-4': 'open',
      'h1/week-5': 'scheduled',
    });
    const after = apply(admitted, release, now);
    expect(Object.values(stages(after, 'HOSPITAL-CONTACT'))).toEqual(Array(5).fill('superseded'));
    expect(Object.keys(stages(after, 'ESCALATION'))).toEqual(['CIP-INITIAL/1']);
    expect(unsyncedKeys(after)).toEqual(['POST-HOSPITAL-CONTACT/h1']);
    expect(after.requirements['POST-HOSPITAL-CONTACT/h1']).toMatchObject({ stage: 'due-soon', dueDate: '2026-03-27', focus: 'Encounter/h1' });
    expect(after.requirements['HOSPITAL-CONTACT/h1/week-4']).toMatchObject({ reason: 'Released from hospital on 2026-03-20', synced: true });
    expect(after.requirements['HOSPITAL-CONTACT/h1/week-4']).not.toHaveProperty('taskId');
  });

  test('histories recorded before the change write the open week born cancelled and keep the overdue ones', () => {
    const now = noon('2026-03-25');
    const admitted = apply(startedEpisode('2026-01-15', now), admission, now, NO_PATCHES);
    const after = apply(admitted, release, now, NO_PATCHES);
    expect(stages(after, 'HOSPITAL-CONTACT')).toMatchObject({ 'h1/week-1': 'overdue', 'h1/week-4': 'superseded' });
    expect(unsyncedKeys(after)).toContain('HOSPITAL-CONTACT/h1/week-4');
  });

  test('released after its weeks\' Tasks were written: the open week is cancelled, the missed week stays overdue', () => {
    const admitted = written(apply(startedEpisode('2026-01-15', noon('2026-03-02')), admission, noon('2026-03-02')));
    const later = written(advance(admitted, noon('2026-03-12')));
    expect(stages(later, 'HOSPITAL-CONTACT')).toEqual({ 'h1/week-1': 'overdue', 'h1/week-2': 'due-soon', 'h1/week-3': 'scheduled' });
    const after = apply(later, { ...release, releasedOn: '2026-03-12' }, noon('2026-03-12'));
    expect(stages(after, 'HOSPITAL-CONTACT')).toEqual({ 'h1/week-1': 'overdue', 'h1/week-2': 'superseded', 'h1/week-3': 'superseded' });
    expect(unsyncedKeys(after)).toEqual(['HOSPITAL-CONTACT/h1/week-2', 'POST-HOSPITAL-CONTACT/h1']);
  });

  test('released before the admission reaches us: no weeks at all', () => {
    const now = noon('2026-03-25');
    const after = apply(apply(startedEpisode('2026-01-15', now), release, now), admission, now);
    expect(stages(after, 'HOSPITAL-CONTACT')).toEqual({});
    expect(stages(after, 'POST-HOSPITAL-CONTACT')).toEqual({ h1: 'due-soon' });
  });

  test('readmission before the post-hospital contact supersedes it; the new stay\'s week opens', () => {
    const released = written(apply(startedEpisode('2026-01-15', noon('2026-03-20')), release, noon('2026-03-20')));
    const after = apply(released, { type: 'hospital-admission', encounterId: 'h2', admittedOn: '2026-03-23' }, noon('2026-03-23'));
    expect(after.requirements['POST-HOSPITAL-CONTACT/h1']).toMatchObject({ stage: 'superseded', reason: 'Readmitted to hospital (Encounter/h2) before the post-hospital contact' });
    expect(unsyncedKeys(after)).toEqual(['POST-HOSPITAL-CONTACT/h1', 'HOSPITAL-CONTACT/h2/week-1']);
  });

  test('a contact during the stay meets that week, the note for it opens', () => {
    const admitted = written(apply(startedEpisode('2026-01-15', noon('2026-03-02')), admission, noon('2026-03-02')));
    const after = apply(admitted, { type: 'contact-recorded', encounterId: 'c1', kind: 'collateral', date: '2026-03-04' }, noon('2026-03-04'));
    expect(after.requirements['HOSPITAL-CONTACT/h1/week-1']).toMatchObject({ stage: 'met-on-time', evidence: 'Encounter/c1' });
    expect(after.requirements['NOTE-COLLATERAL/c1']).toMatchObject({ stage: 'due-soon', dueDate: '2026-03-05' });
  });
});

describe('program discharge', () => {
  test('cancels the written Tasks, closes what was never written without a Task, opens the Discharge Plan', () => {
    const overdue = written(advance(startedEpisode('2026-01-15', noon('2026-01-20')), noon('2026-02-10')));
    const contacted = apply(overdue, { type: 'contact-recorded', encounterId: 'c1', kind: 'face-to-face', date: '2026-02-10' }, noon('2026-02-10'));
    expect(unsyncedKeys(contacted)).toEqual(['NOTE-INDIVIDUAL/c1']);
    const after = apply(contacted, { type: 'program-discharge', date: '2026-02-10' }, noon('2026-02-10'));
    expect(after).toMatchObject({ status: 'discharged', dischargeDate: '2026-02-10' });
    expect(unsyncedKeys(after)).toEqual(['CIP-INITIAL/1', 'ESCALATION/CIP-INITIAL/1', 'DISCHARGE-PLAN/discharge']);
    expect(after.requirements['NOTE-INDIVIDUAL/c1']).toMatchObject({ stage: 'discharged', reason: 'Client discharged from the program on 2026-02-10' });
    expect(after.requirements['DISCHARGE-PLAN/discharge']).toMatchObject({ stage: 'open', dueDate: '2026-02-20' });
    expect(Object.values(after.requirements).filter((requirement) => requirement.stage === 'scheduled')).toEqual([]);
  });
});

describe('evidence and the EHR', () => {
  const now = noon('2026-01-20');
  const taskOf = (state: EpisodeState) => state.requirements['CIP-INITIAL/1']!.taskId!;

  test.each([
    ['completed in time', 'completed', '2026-01-29T23:00:00-06:00', { stage: 'met-on-time', evidence: 'Task/task-CIP-INITIAL.1' }],
    ['completed a day late', 'completed', '2026-01-30T09:00:00-06:00', { stage: 'met-late', evidence: 'Task/task-CIP-INITIAL.1' }],
    ['cancelled', 'cancelled', '2026-01-21T09:00:00-06:00', { stage: 'withdrawn', reason: 'Cancelled in the EHR' }],
  ] as const)('Task %s in the EHR', (_name, status, at, expected) => {
    const started = startedEpisode('2026-01-15', now);
    const after = apply(started, { type: 'task-changed', taskId: taskOf(started), status, at }, now);
    expect(after.requirements['CIP-INITIAL/1']).toMatchObject({ ...expected, synced: false });
  });

  test('a repeated event id changes nothing', () => {
    const started = startedEpisode('2026-01-15', now);
    const once = applyEvent(started, { type: 'program-discharge', eventId: 'EpisodeOfCare/e1/_history/3', date: '2026-01-20' }, now);
    expect(applyEvent(once, { type: 'program-discharge', eventId: 'EpisodeOfCare/e1/_history/3', date: '2026-01-21' }, now)).toBe(once);
  });

  test('an assessment in the month a quarterly review falls due waives it and its crisis plan review', () => {
    const open = written(advance(startedEpisode('2026-01-15', now), noon('2026-04-01')));
    expect(stages(open, 'QR')).toMatchObject({ '2026-04-15': 'open' });
    const after = apply(open, { type: 'assessment-completed', date: '2026-04-02' }, noon('2026-04-02'));
    expect(after.requirements['QR/2026-04-15']).toMatchObject({ stage: 'waived', synced: false });
    expect(after.requirements['CIP-REVIEW/2026-04-15']).toMatchObject({ stage: 'waived', synced: false });
    expect(after.assessmentDates).toEqual(['2026-04-02']);
  });
});

describe('versions of a FHIR resource out of order', () => {
  const started = startedEpisode('2026-03-02', noon('2026-03-02'));
  const reassigned = (version: number, lastUpdated: string, practitioner: string) =>
    ({ type: 'staff-reassigned', eventId: `EpisodeOfCare/e1/_history/${version}`, sourceUpdatedAt: lastUpdated, role: 'specialist', practitioner }) as const;
  const newer = reassigned(3, '2026-03-04T10:00:00.000Z', 'Practitioner/s3');
  const older = reassigned(2, '2026-03-03T10:00:00.000Z', 'Practitioner/s2');

  test('an event remembers its resource version; an older version of that resource is older than applied, a newer one or another resource is not', () => {
    const state = applyEvent(started, newer, noon('2026-03-05'));
    expect(state.sourceVersions).toEqual({ 'EpisodeOfCare/e1': '2026-03-04T10:00:00.000Z' });
    expect(isOlderThanApplied(state, older)).toBe(true);
    expect(isOlderThanApplied(state, reassigned(4, '2026-03-05T10:00:00.000Z', 'Practitioner/s4'))).toBe(false);
    expect(isOlderThanApplied(state, { ...older, eventId: 'EpisodeOfCare/e2/_history/2' })).toBe(false);
    // The operator's events and events without a source instant are never older.
    expect(isOlderThanApplied(state, { ...older, sourceUpdatedAt: undefined })).toBe(false);
    expect(isOlderThanApplied(state, { ...older, eventId: 'operator/staff' })).toBe(false);
  });

  test('a late older version does not move the remembered instant back', () => {
    const state = applyEvent(applyEvent(started, newer, noon('2026-03-05')), older, noon('2026-03-05'));
    expect(state.sourceVersions).toEqual({ 'EpisodeOfCare/e1': '2026-03-04T10:00:00.000Z' });
  });

  test.each([
    ['EpisodeOfCare/e1/_history/3', 'EpisodeOfCare/e1'],
    ['Encounter/h1/_history/2#hospital-admission', 'Encounter/h1'],
    ['operator/program-discharge/2026-03-01', undefined],
  ])('the source of %s is %s', (eventId, source) => {
    expect(sourceOf({ ...older, eventId })).toBe(source);
  });
});
