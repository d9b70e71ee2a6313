/**
 * Episodes for the reducers' unit tests: built and moved on by the reducers themselves, with the
 * workflow's Task writes stood in for by `written` (every unsynced requirement gets its Task id).
 * Not imported by the workflow.
 */
import { startOfLocalDay } from '../rules/index.ts';
import type { EpisodeEvent } from './events.ts';
import type { Requirement } from './state.ts';
import { episodeInputSchema } from './input.ts';
import { reconcile, startDeadlines } from './reconcile.ts';
import { type EpisodeState, initialState } from './state.ts';

export const TIME_ZONE = 'America/Chicago';
const HOUR_MS = 3_600_000;

/** Noon on a local date in the agency's zone. */
export function noon(date: string): number {
  return startOfLocalDay(date, TIME_ZONE) + 12 * HOUR_MS;
}

export function episodeConfig(admissionDate: string) {
  return episodeInputSchema.parse({
    patient: 'Patient/p1',
    episodeOfCare: 'EpisodeOfCare/e1',
    carePlan: 'CarePlan/cp1',
    specialist: 'Practitioner/specialist-1',
    supervisor: 'Practitioner/supervisor-1',
    agency: 'Organization/agency-1',
    admissionDate,
  });
}

/** An episode started at `now` with nothing found in the record, its Tasks written. */
export function startedEpisode(admissionDate: string, now: number): EpisodeState {
  const state = initialState(episodeConfig(admissionDate));
  return written(reconcile(state, startDeadlines(state, now), {}, now));
}

/** What the workflow's Task writes do to the state: every unsynced requirement is synced and has its Task. */
export function written(state: EpisodeState): EpisodeState {
  const requirements = Object.fromEntries(
    Object.entries(state.requirements).map(([key, requirement]) => [
      key,
      requirement.synced ? requirement : { ...requirement, synced: true, taskId: requirement.taskId ?? `task-${key.replaceAll('/', '.')}` },
    ]),
  );
  return { ...state, requirements };
}

/** Keys of the requirements whose Task the workflow would write now. */
export function unsyncedKeys(state: EpisodeState): string[] {
  return Object.values(state.requirements)
    .filter((requirement) => !requirement.synced)
    .map((requirement) => requirement.key);
}

/** An event without its id, whichever its type. */
export type EventFields = EpisodeEvent extends infer E ? (E extends EpisodeEvent ? Omit<E, 'eventId'> : never) : never;

let eventCounter = 0;
/** An event with a fresh id. */
export function event(fields: EventFields): EpisodeEvent {
  eventCounter += 1;
  return { eventId: `test-event-${eventCounter}`, ...fields } as EpisodeEvent;
}

/** The open CIP-INITIAL of an episode admitted Thu 2026-01-15 (EpisodeOfCare/e1), as the state holds it. */
export function openCipInitial(overrides: Partial<Requirement> = {}): Requirement {
  return {
    key: 'CIP-INITIAL/1',
    code: 'CIP-INITIAL',
    cycle: '1',
    ruleId: 'CIP-INITIAL',
    title: 'Crisis Intervention Plan',
    opensAt: Date.parse('2026-01-15T06:00:00Z'),
    dueSoonAt: Date.parse('2026-01-27T06:00:00Z'),
    dueAt: Date.parse('2026-01-30T05:59:59.999Z'),
    dueDate: '2026-01-29',
    focus: 'EpisodeOfCare/e1',
    owner: 'Practitioner/s1',
    stage: 'open',
    synced: false,
    ...overrides,
  };
}
