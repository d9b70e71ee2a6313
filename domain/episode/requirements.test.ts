import { describe, expect, test } from 'vitest';
import { admissionDeadlines, defaultAgencyPolicy } from '../rules/index.ts';
import { NO_PATCHES } from './patches.ts';
import { noon, startedEpisode, unsyncedKeys, written } from './episode-fixtures.ts';
import { addRequirement, advanceRequirement, close, escalationClosedMeanwhile, meet, nextTransitionAt } from './requirements.ts';
import type { EpisodeState } from './state.ts';

const [CIP] = admissionDeadlines('2026-01-15', defaultAgencyPolicy);
const deadline = CIP!;

/** An episode admitted 2026-01-15 with nothing yet: CIP-INITIAL is added by each test. */
function bare(): EpisodeState {
  const state = startedEpisode('2026-01-15', noon('2026-01-15'));
  return { ...state, requirements: {} };
}

describe('the clock moves a requirement along', () => {
  test.each([
    ['before it opens', deadline.opensAt - 1, 'scheduled'],
    ['the day it opens', deadline.opensAt, 'open'],
    ['two business days before the due date', deadline.dueSoonAt, 'due-soon'],
    ['the last millisecond of the due day', deadline.dueAt, 'due-soon'],
    ['the first millisecond after', deadline.dueAt + 1, 'overdue'],
  ] as const)('%s: %s', (_name, now, stage) => {
    const state = bare();
    const requirement = addRequirement(state, deadline, 'EpisodeOfCare/e1', now)!;
    expect(requirement).toMatchObject({ key: 'CIP-INITIAL/1', stage, dueDate: '2026-01-29', owner: 'Practitioner/specialist-1' });
    expect(requirement.synced).toBe(stage === 'scheduled');
    expect(Object.keys(state.requirements)).toEqual(stage === 'overdue' ? ['CIP-INITIAL/1', 'ESCALATION/CIP-INITIAL/1'] : ['CIP-INITIAL/1']);
  });

  test('overdue escalates once, to the supervisor, with the overdue requirement\'s due date', () => {
    const state = bare();
    const requirement = addRequirement(state, deadline, 'EpisodeOfCare/e1', deadline.dueAt + 1)!;
    advanceRequirement(state, requirement, deadline.dueAt + 86_400_000);
    expect(state.requirements['ESCALATION/CIP-INITIAL/1']).toMatchObject({
      code: 'ESCALATION',
      cycle: 'CIP-INITIAL/1',
      escalates: 'CIP-INITIAL/1',
      owner: 'Practitioner/supervisor-1',
      stage: 'overdue',
      dueDate: '2026-01-29',
      title: 'Overdue: Crisis Intervention Plan',
      synced: false,
    });
    expect(Object.keys(state.requirements)).toHaveLength(2);
  });

  test('adding a requirement twice keeps the first', () => {
    const state = bare();
    const first = addRequirement(state, deadline, 'EpisodeOfCare/e1', deadline.opensAt)!;
    first.owner = 'Practitioner/covering';
    expect(addRequirement(state, deadline, 'EpisodeOfCare/e1', deadline.opensAt)).toBe(first);
  });

  test('the next transition is the soonest instant any pending requirement changes stage', () => {
    const state = bare();
    addRequirement(state, deadline, 'EpisodeOfCare/e1', deadline.opensAt);
    expect(nextTransitionAt(state, deadline.opensAt)).toEqual({ at: deadline.dueSoonAt, key: 'CIP-INITIAL/1' });
    expect(nextTransitionAt(state, deadline.dueSoonAt)).toEqual({ at: deadline.dueAt + 1, key: 'CIP-INITIAL/1' });
    expect(nextTransitionAt(state, deadline.dueAt + 1)).toBeUndefined();
  });
});

describe('meeting a requirement', () => {
  test.each([
    ['at the end of the due day', deadline.dueAt, 'met-on-time'],
    ['a millisecond later', deadline.dueAt + 1, 'met-late'],
  ] as const)('evidence %s: %s', (_name, at, stage) => {
    const state = bare();
    const requirement = addRequirement(state, deadline, 'EpisodeOfCare/e1', deadline.opensAt)!;
    meet(state, requirement, 'QuestionnaireResponse/qr1', at, noon('2026-02-01'));
    expect(requirement).toMatchObject({ stage, evidence: 'QuestionnaireResponse/qr1', metAt: at, closedAt: noon('2026-02-01'), synced: false });
  });

  test('closes a written escalation the same way; one never written just goes', () => {
    const escalatedAndWritten = written(startedEpisode('2026-01-15', noon('2026-02-02')));
    const late = noon('2026-02-03');
    meet(escalatedAndWritten, escalatedAndWritten.requirements['CIP-INITIAL/1']!, 'QuestionnaireResponse/qr1', late, late);
    expect(escalatedAndWritten.requirements['ESCALATION/CIP-INITIAL/1']).toMatchObject({ stage: 'met-late', evidence: 'QuestionnaireResponse/qr1', synced: false });

    const state = bare();
    const requirement = addRequirement(state, deadline, 'EpisodeOfCare/e1', deadline.dueAt + 1)!;
    meet(state, requirement, 'QuestionnaireResponse/qr1', late, late);
    expect(Object.keys(state.requirements)).toEqual(['CIP-INITIAL/1']);
  });

  test('an escalation dropped while its Task was being written is closed like its requirement, on that Task, for another write', () => {
    const state = bare();
    const late = noon('2026-02-03');
    const requirement = addRequirement(state, deadline, 'EpisodeOfCare/e1', deadline.dueAt + 1)!;
    const inFlight = structuredClone(state.requirements['ESCALATION/CIP-INITIAL/1']!);
    expect(escalationClosedMeanwhile(state, inFlight, 't-esc')).toBeUndefined();
    meet(state, requirement, 'QuestionnaireResponse/qr1', late, late);
    expect(state.requirements['ESCALATION/CIP-INITIAL/1']).toBeUndefined();
    expect(escalationClosedMeanwhile(state, inFlight, 't-esc')).toMatchObject({
      key: 'ESCALATION/CIP-INITIAL/1',
      owner: 'Practitioner/supervisor-1',
      stage: 'met-late',
      evidence: 'QuestionnaireResponse/qr1',
      metAt: late,
      taskId: 't-esc',
      synced: false,
    });
  });

  test('a requirement already closed stays as it was', () => {
    const state = bare();
    const requirement = addRequirement(state, deadline, 'EpisodeOfCare/e1', deadline.opensAt)!;
    meet(state, requirement, 'QuestionnaireResponse/qr1', deadline.opensAt, deadline.opensAt);
    meet(state, requirement, 'QuestionnaireResponse/qr2', deadline.dueAt + 1, deadline.dueAt + 1);
    close(state, requirement, 'discharged', 'Client discharged', deadline.dueAt + 1);
    expect(requirement).toMatchObject({ stage: 'met-on-time', evidence: 'QuestionnaireResponse/qr1' });
  });
});

describe('closing a requirement that will not be met', () => {
  const now = noon('2026-01-20');
  test.each([
    ['scheduled', false, false, false],
    ['open, its Task written', true, true, true],
    ['open, its Task not written yet', true, false, false],
  ] as const)('%s: a Task write %s', (_name, opened, taskWritten, writes) => {
    const state = bare();
    const requirement = addRequirement(state, deadline, 'EpisodeOfCare/e1', opened ? now : deadline.opensAt - 1)!;
    if (taskWritten) Object.assign(requirement, { taskId: 't1', synced: true });
    close(state, requirement, 'superseded', 'Replaced', now);
    expect(requirement).toMatchObject({ stage: 'superseded', reason: 'Replaced', closedAt: now });
    expect(unsyncedKeys(state)).toEqual(writes ? ['CIP-INITIAL/1'] : []);
  });

  test('histories recorded before the change still write a Task born cancelled', () => {
    const state = bare();
    const requirement = addRequirement(state, deadline, 'EpisodeOfCare/e1', now)!;
    close(state, requirement, 'superseded', 'Replaced', now, NO_PATCHES);
    expect(unsyncedKeys(state)).toEqual(['CIP-INITIAL/1']);
  });
});
