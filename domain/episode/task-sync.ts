/**
 * Keeping each requirement's Task in step with it: which Task to write next, what the write
 * carries, and what the episode records once the FHIR server answered. The workflow does the
 * writing (an activity) and holds the state these functions return.
 */
import type { EpisodeEvent } from './events.ts';
import type { FhirRefusal, RequirementTaskWrite, RequirementTaskWritten } from './episode-activities.ts';
import type { EpisodeState, Requirement } from './state.ts';
import { awaitsWriteRetry, withoutWriteFailure, withWriteFailure } from './write-failure.ts';

/**
 * The first requirement, in the order they arose, whose Task lags behind it and may be written at
 * `now`: not waiting for a retry, and for an escalation, once the overdue Task it points at exists.
 */
export function nextTaskToWrite(state: EpisodeState, now: number): Requirement | undefined {
  return Object.values(state.requirements).find(
    (requirement) =>
      !requirement.synced &&
      !awaitsWriteRetry(requirement, now) &&
      (!requirement.escalates || state.requirements[requirement.escalates]?.taskId !== undefined),
  );
}

export function taskWriteOf(state: EpisodeState, requirement: Requirement, now: number): RequirementTaskWrite {
  const escalated = requirement.escalates ? state.requirements[requirement.escalates] : undefined;
  return {
    patient: state.config.patient,
    episodeOfCare: state.config.episodeOfCare,
    carePlan: state.config.carePlan,
    agency: state.config.agency,
    requirement,
    escalatedTaskId: escalated?.taskId,
    now,
  };
}

function withRequirement(state: EpisodeState, requirement: Requirement): EpisodeState {
  return { ...state, requirements: { ...state.requirements, [requirement.key]: requirement } };
}

/** The server refused the write of `key`'s Task (or did not answer): recorded, to be retried on a backoff. */
export function withTaskRefused(state: EpisodeState, key: string, refusal: FhirRefusal, now: number): EpisodeState {
  const current = state.requirements[key];
  return current ? withRequirement(state, withWriteFailure(current, refusal, now)) : state;
}

/**
 * The Task of `current` was written as `sent` was. A requirement that handlers changed while the
 * write was in flight stays unsynced, so that it is written again.
 */
export function withTaskWritten(state: EpisodeState, sent: Requirement, current: Requirement, taskId: string): EpisodeState {
  const unchanged = JSON.stringify(current) === JSON.stringify(sent);
  return withRequirement(state, { ...withoutWriteFailure(current), taskId, synced: unchanged });
}

/** The EHR completed or cancelled the Task meanwhile (the write left it alone): the event that says so. */
export function taskChangedInEhr(written: RequirementTaskWritten): Extract<EpisodeEvent, { type: 'task-changed' }> | undefined {
  const changed = written.changedInEhr;
  if (!changed) return undefined;
  return {
    type: 'task-changed',
    eventId: `Task/${written.taskId}/_history/${changed.versionId ?? changed.at}`,
    taskId: written.taskId,
    status: changed.status,
    owner: changed.owner,
    at: changed.at,
  };
}
