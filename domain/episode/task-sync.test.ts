import { describe, expect, test } from 'vitest';
import { noon, startedEpisode } from './episode-fixtures.ts';
import type { EpisodeState, Requirement } from './state.ts';
import { nextTaskToWrite, taskChangedInEhr, taskWriteOf, withTaskRefused, withTaskWritten } from './task-sync.ts';

const now = noon('2026-03-02');
const synced = startedEpisode('2026-03-01', noon('2026-03-01'));
const [first, second] = Object.values(synced.requirements) as [Requirement, Requirement];

function withRequirements(state: EpisodeState, ...requirements: Requirement[]): EpisodeState {
  return { ...state, requirements: { ...state.requirements, ...Object.fromEntries(requirements.map((each) => [each.key, each])) } };
}

describe('the next Task to write', () => {
  test('is none while every Task is in step', () => {
    expect(nextTaskToWrite(synced, now)).toBeUndefined();
  });

  test('is the first lagging requirement in the order they arose', () => {
    const lagging = withRequirements(synced, { ...second, synced: false }, { ...first, synced: false });
    expect(nextTaskToWrite(lagging, now)?.key).toBe(first.key);
  });

  test('skips a requirement waiting for its write retry until the retry is due', () => {
    const refused = withTaskRefused(withRequirements(synced, { ...first, synced: false }), first.key, { status: 503, code: 'transient' }, now);
    expect(nextTaskToWrite(refused, now)).toBeUndefined();
    expect(nextTaskToWrite(refused, refused.requirements[first.key]!.writeFailure!.retryAt)?.key).toBe(first.key);
  });

  test('holds an escalation back until the overdue Task it points at exists', () => {
    const escalation: Requirement = { ...first, key: `ESCALATION/${first.key}`, code: 'ESCALATION', escalates: first.key, taskId: undefined, synced: false };
    const overdueUnwritten = withRequirements(synced, { ...first, taskId: undefined, synced: false }, escalation);
    expect(nextTaskToWrite(overdueUnwritten, now)?.key).toBe(first.key);
    expect(nextTaskToWrite({ ...overdueUnwritten, requirements: { [escalation.key]: escalation, [first.key]: { ...first, taskId: undefined } } }, now)).toBeUndefined();
    expect(nextTaskToWrite(withRequirements(synced, escalation), now)?.key).toBe(escalation.key);
  });
});

describe('a Task write', () => {
  test('carries the episode, the requirement and, for an escalation, the overdue Task', () => {
    const escalation: Requirement = { ...first, key: `ESCALATION/${first.key}`, code: 'ESCALATION', escalates: first.key, synced: false };
    const write = taskWriteOf(withRequirements(synced, escalation), escalation, now);
    expect(write).toEqual({
      patient: 'Patient/p1',
      episodeOfCare: 'EpisodeOfCare/e1',
      carePlan: 'CarePlan/cp1',
      agency: 'Organization/agency-1',
      requirement: escalation,
      escalatedTaskId: first.taskId,
      now,
    });
    expect(taskWriteOf(synced, first, now).escalatedTaskId).toBeUndefined();
  });

  test('once answered, syncs the requirement, records its Task and forgets the failure', () => {
    const sent = withTaskRefused(withRequirements(synced, { ...first, synced: false }), first.key, { status: 503, code: 'transient' }, now).requirements[first.key]!;
    const state = withTaskWritten(withRequirements(synced, sent), sent, sent, 'task-9');
    expect(state.requirements[first.key]).toEqual({ ...first, synced: true, taskId: 'task-9' });
  });

  test('leaves a requirement changed while the write was in flight unsynced, to be written again', () => {
    const sent = { ...first, synced: false };
    const changedMeanwhile = { ...sent, stage: 'waived' as const, reason: 'waived' };
    const state = withTaskWritten(withRequirements(synced, changedMeanwhile), sent, changedMeanwhile, 'task-9');
    expect(state.requirements[first.key]).toMatchObject({ stage: 'waived', taskId: 'task-9', synced: false });
    expect(nextTaskToWrite(state, now)?.key).toBe(first.key);
  });

  test('a refusal of a requirement no longer there changes nothing', () => {
    expect(withTaskRefused(synced, 'NOT/THERE', { status: 409, code: 'conflict' }, now)).toBe(synced);
  });
});

describe('a Task the EHR ended meanwhile', () => {
  test('becomes a task-changed event named after the Task version', () => {
    expect(taskChangedInEhr({ taskId: 't1' })).toBeUndefined();
    expect(taskChangedInEhr({ taskId: 't1', changedInEhr: { status: 'completed', owner: 'Practitioner/s2', at: '2026-03-02T10:00:00Z', versionId: '4' } })).toEqual({
      type: 'task-changed',
      eventId: 'Task/t1/_history/4',
      taskId: 't1',
      status: 'completed',
      owner: 'Practitioner/s2',
      at: '2026-03-02T10:00:00Z',
    });
    expect(taskChangedInEhr({ taskId: 't1', changedInEhr: { status: 'cancelled', at: '2026-03-02T10:00:00Z' } })?.eventId).toBe('Task/t1/_history/2026-03-02T10:00:00Z');
  });
});
