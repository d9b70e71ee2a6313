/**
 * CASELOAD: which of the specialist's active episodes count (the agency's level-of-care codes, none
 * = every one), and the CASELOAD Task that a caseload past the cap opens for the supervisor. It
 * closes by itself (`back-within`) once the count is back at or under the cap, or as `approved` by
 * the supervisor (the Task completed in the EHR, or an override of the CLI); an approval holds
 * until the caseload next changes, and a change that leaves it past the cap opens Task n+1.
 */
import type { AgencyPolicy } from '../rules/index.ts';
import { type CaseloadEpisode, openTaskOf, type SpecialistState, type SpecialistTask } from './state.ts';

export function counts(episode: CaseloadEpisode, policy: AgencyPolicy): boolean {
  const codes = policy.caseload.levelOfCareCodes;
  return codes.length === 0 || !episode.levelOfCare || episode.levelOfCare.some((code) => codes.includes(code));
}

/** The counted episodes, in the order they were assigned. */
export function countedEpisodes(state: SpecialistState): CaseloadEpisode[] {
  return Object.values(state.episodes)
    .filter((episode) => counts(episode, state.config.policy))
    .sort((a, b) => a.assignedAt - b.assignedAt || a.episodeOfCare.localeCompare(b.episodeOfCare));
}

export function caseloadCount(state: SpecialistState): number {
  return countedEpisodes(state).length;
}

export function isOverCap(state: SpecialistState): boolean {
  return caseloadCount(state) > state.config.policy.caseload.cap;
}

function sentence(state: SpecialistState, tail: string): string {
  return `${state.config.specialist} carries ${caseloadCount(state)} clients, cap ${state.config.policy.caseload.cap}: ${tail}`;
}

function closed(task: SpecialistTask, businessStatus: 'back-within' | 'approved', description: string, now: number): SpecialistTask {
  return { ...task, businessStatus, description, closedAt: now, synced: false };
}

function replaceTask(state: SpecialistState, task: SpecialistTask, next: SpecialistTask): SpecialistState {
  return { ...state, tasks: state.tasks.map((each) => (each === task ? next : each)) };
}

/**
 * The CASELOAD Task after the caseload changed at `now` (`focus`: the episode of the change, when
 * it is counted). `approval`: the change came with an override, which approves it.
 */
export function afterCaseloadChange(state: SpecialistState, now: number, focus: string | undefined, approval?: { practitioner: string; at: number }): SpecialistState {
  let next: SpecialistState = { ...state };
  delete next.approval;
  if (approval) next.approval = approval;
  const open = openTaskOf(next, 'CASELOAD');
  if (!isOverCap(next)) {
    return open ? replaceTask(next, open, closed(open, 'back-within', sentence(next, 'back within the cap'), now)) : next;
  }
  if (approval) {
    return open ? replaceTask(next, open, closed(open, 'approved', sentence(next, `approved by ${approval.practitioner}`), now)) : next;
  }
  if (open) {
    const description = sentence(next, 'reassign or approve');
    return open.description === description ? next : replaceTask(next, open, { ...open, description, synced: false });
  }
  const n = next.taskNumbers.CASELOAD + 1;
  const counted = countedEpisodes(next);
  const task: SpecialistTask = {
    code: 'CASELOAD',
    n,
    businessStatus: 'over-cap',
    focus: focus && counted.some((episode) => episode.episodeOfCare === focus) ? focus : counted.at(-1)?.episodeOfCare,
    owner: next.supervisor,
    description: sentence(next, 'reassign or approve'),
    openedAt: now,
    synced: false,
  };
  next = { ...next, tasks: [...next.tasks, task], taskNumbers: { ...next.taskNumbers, CASELOAD: n } };
  return next;
}

/** The supervisor completed the open CASELOAD Task in the EHR: approved, recorded with who and when. */
export function approvedInEhr(state: SpecialistState, task: SpecialistTask, practitioner: string, at: number): SpecialistState {
  const approval = { practitioner, at };
  return replaceTask({ ...state, approval }, task, closed(task, 'approved', sentence(state, `approved by ${practitioner}`), at));
}
