import { expect, test } from 'vitest';
import { assignmentOf } from './assignment.ts';
import { caseloadCount, isOverCap } from './caseload.ts';
import { applySpecialistEvent, EVENT_IDS_KEPT, isDuplicate } from './apply-event.ts';
import { applyAll, assignedEvent, releasedEvent, SUPERVISOR, specialistState, START, withEpisodes } from './specialist-fixtures.ts';
import type { SpecialistState } from './state.ts';

const tasks = (state: SpecialistState) => state.tasks.map((task) => `${task.code}/${task.n} ${task.businessStatus}${task.closedAt ? ' closed' : ''}${task.focus ? ` ${task.focus}` : ''}`);

test.each([
  [[], ['a'], 1],
  [[], [], 1],
  [['rehab'], ['rehab', 'other'], 1],
  [['rehab'], ['other'], 0],
  [['rehab'], [], 0],
])('with levelOfCareCodes %j an episode of %j counts %i', (levelOfCareCodes, codes, count) => {
  const state = applySpecialistEvent(specialistState({ caseload: { cap: 30, levelOfCareCodes } }), assignedEvent('e1', codes), START);
  expect(caseloadCount(state)).toBe(count);
});

test('the 31st opens CASELOAD/1 focused on it; a discharge closes it back-within; the 31st again opens CASELOAD/2', () => {
  const thirty = withEpisodes(specialistState(), 30);
  expect([caseloadCount(thirty), isOverCap(thirty), tasks(thirty)]).toEqual([30, false, []]);
  const over = applyAll(thirty, [assignedEvent('e31')]);
  expect(tasks(over)).toEqual(['CASELOAD/1 over-cap EpisodeOfCare/e31']);
  expect(over.tasks[0]).toMatchObject({ owner: SUPERVISOR, description: 'Practitioner/s1 carries 31 clients, cap 30: reassign or approve', synced: false });
  const further = applyAll(over, [assignedEvent('e32')]);
  expect(further.tasks.map((task) => task.description)).toEqual(['Practitioner/s1 carries 32 clients, cap 30: reassign or approve']);
  const back = applyAll(further, [releasedEvent('e1'), releasedEvent('e2')]);
  expect(tasks(back)).toEqual(['CASELOAD/1 back-within closed EpisodeOfCare/e31']);
  expect(tasks(applyAll(back, [assignedEvent('e40')]))).toEqual(['CASELOAD/1 back-within closed EpisodeOfCare/e31', 'CASELOAD/2 over-cap EpisodeOfCare/e40']);
});

test('an approval in the EHR holds until the caseload next changes', () => {
  let state = applyAll(withEpisodes(specialistState(), 31), []);
  state = { ...state, tasks: state.tasks.map((task) => ({ ...task, taskId: 't1', synced: true })) };
  state = applySpecialistEvent(state, { type: 'task-changed', eventId: 'Task/t1/_history/2', taskId: 't1', status: 'completed', owner: SUPERVISOR, at: '2026-11-03T18:00:00Z' }, START);
  expect(tasks(state)).toEqual(['CASELOAD/1 approved closed EpisodeOfCare/e31']);
  expect(state.approval).toEqual({ practitioner: SUPERVISOR, at: Date.parse('2026-11-03T18:00:00Z') });
  expect(applyAll(state, [assignedEvent('e31', [], 2)]).approval).toBeDefined(); // the same episode again: no change
  const changed = applyAll(state, [assignedEvent('e32')]);
  expect(changed.approval).toBeUndefined();
  expect(tasks(changed).at(-1)).toBe('CASELOAD/2 over-cap EpisodeOfCare/e32');
  const released = applyAll(state, [releasedEvent('e3')]);
  expect([released.approval, tasks(released).length]).toEqual([undefined, 1]); // at the cap: nothing to approve
});

test('the CLI: refused past the cap without an override (nothing changes), accepted and approved with one, at once', () => {
  const thirty = withEpisodes(specialistState(), 30);
  const refused = assignmentOf(thirty, { episodeOfCare: 'EpisodeOfCare/e31', at: '2026-11-03T18:00:00Z' }, START);
  expect(refused.answer).toEqual({ accepted: false, caseload: 30, cap: 30, reason: 'caseload 30 of cap 30: an assignment past the cap needs --override-by Practitioner/<supervisor id>' });
  expect(refused.state).toBe(thirty);
  const accepted = assignmentOf(thirty, { episodeOfCare: 'EpisodeOfCare/e31', overrideBy: SUPERVISOR, at: '2026-11-03T18:00:00Z' }, START);
  expect(accepted.answer).toEqual({ accepted: true, caseload: 31, cap: 30 });
  expect(accepted.state.approval?.practitioner).toBe(SUPERVISOR);
  expect(accepted.state.tasks).toEqual([]);
  expect(assignmentOf(withEpisodes(specialistState(), 29), { episodeOfCare: 'EpisodeOfCare/e30', at: '2026-11-03T18:00:00Z' }, START).answer).toEqual({ accepted: true, caseload: 30, cap: 30 });
});

test('event ids are remembered, the newest EVENT_IDS_KEPT of them', () => {
  const state = applyAll(specialistState(), Array.from({ length: EVENT_IDS_KEPT + 5 }, (_, n) => assignedEvent(`e${n}`)));
  expect(state.eventIds.length).toBe(EVENT_IDS_KEPT);
  expect([isDuplicate(state, 'EpisodeOfCare/e4/_history/1'), isDuplicate(state, 'EpisodeOfCare/e5/_history/1')]).toEqual([false, true]);
});
