/**
 * What the episode tells its specialists' workflows (`specialist-<Practitioner id>`), as an outbox
 * in its state like the requirements' `synced`: the reducers add messages, the workflow delivers
 * them in order (the `tellSpecialist` activity) and removes each once delivered. A message that
 * cannot be delivered stays, waits on the Task writes' backoff, and goes to the next run at
 * continue-as-new; a discharged episode does not end before its release is told.
 *
 * `specialistOutbox` absent: the specialist was never told of this episode (a state of a run before
 * the `tellsSpecialist` patch); `startTellingSpecialist` tells the assignment once and from then on
 * the reducers tell every change. Event ids are stable, so a message delivered twice (an activity
 * retried after the signal landed) is ignored by the specialist.
 */
import type { SpecialistEvent } from '../specialist/events.ts';
import type { SpecialistInput } from '../specialist/input.ts';
import type { FhirRefusal } from './episode-activities.ts';
import type { EpisodeEvent } from './events.ts';
import type { EpisodeState, SpecialistMessage } from './state.ts';
import { nextFailure } from './write-failure.ts';

function push(state: EpisodeState, specialist: string, event: SpecialistEvent): void {
  state.specialistOutbox = [...(state.specialistOutbox ?? []), { specialist, event }];
}

function assignmentEventId(state: EpisodeState, what: 'assigned' | 'released', specialist: string, assignment: number): string {
  return `${state.config.episodeOfCare}/${what}/${specialist}/${assignment}`;
}

/** Draft: the episode's next assignment, to `specialist`. */
function tellAssigned(state: EpisodeState, specialist: string, at: number): void {
  const assignment = (state.specialistAssignments ?? 0) + 1;
  state.specialistAssignments = assignment;
  push(state, specialist, {
    type: 'episode-assigned',
    eventId: assignmentEventId(state, 'assigned', specialist, assignment),
    episodeOfCare: state.config.episodeOfCare,
    levelOfCare: state.config.levelOfCare ?? [],
    supervisor: state.config.supervisor,
    at: new Date(at).toISOString(),
  });
}

/** Draft: the current assignment, to `specialist`, ends. */
function tellReleased(state: EpisodeState, specialist: string, reason: 'discharged' | 'reassigned', at: number): void {
  const assignment = state.specialistAssignments ?? 0;
  if (assignment === 0) return;
  push(state, specialist, {
    type: 'episode-released',
    eventId: assignmentEventId(state, 'released', specialist, assignment),
    episodeOfCare: state.config.episodeOfCare,
    reason,
    at: new Date(at).toISOString(),
  });
}

/** Starts the outbox once: an active episode tells its specialist it is theirs; a discharged one has nothing to tell. */
export function startTellingSpecialist(state: EpisodeState, now: number): EpisodeState {
  if (state.specialistOutbox !== undefined) return state;
  const next: EpisodeState = { ...state, specialistOutbox: [], specialistAssignments: 0 };
  if (next.status === 'active') tellAssigned(next, next.config.specialist, now);
  return next;
}

/** Draft, before `config.specialist` changes: the old specialist is released and the new one assigned. */
export function tellReassignment(state: EpisodeState, practitioner: string, now: number): void {
  if (state.specialistOutbox === undefined || state.status !== 'active' || state.config.specialist === practitioner) return;
  tellReleased(state, state.config.specialist, 'reassigned', now);
  tellAssigned(state, practitioner, now);
}

/** Draft: the program discharge ends the assignment. */
export function tellDischarge(state: EpisodeState, now: number): void {
  if (state.specialistOutbox === undefined || state.status !== 'active') return;
  tellReleased(state, state.config.specialist, 'discharged', now);
}

/** Draft: a contact with its time goes to the Encounter's Practitioner, else to the episode's specialist now. */
export function tellContact(state: EpisodeState, event: Extract<EpisodeEvent, { type: 'contact-recorded' }>): void {
  if (state.specialistOutbox === undefined || event.minutes === undefined || event.start === undefined) return;
  push(state, event.practitioner ?? state.config.specialist, {
    type: 'contact-recorded',
    eventId: event.eventId,
    encounterId: event.encounterId,
    episodeOfCare: state.config.episodeOfCare,
    kind: event.kind,
    start: event.start,
    minutes: event.minutes,
    travelMinutes: event.travelMinutes ?? 0,
    ...(event.sourceUpdatedAt ? { sourceUpdatedAt: event.sourceUpdatedAt } : {}),
  });
}

/** The first message, in the order they arose, not waiting for a retry at `now`. */
export function nextSpecialistMessage(state: EpisodeState, now: number): SpecialistMessage | undefined {
  return state.specialistOutbox?.find((message) => !message.failure || message.failure.retryAt <= now);
}

/** What starts `specialist`'s workflow if it is not running: the episode's supervisor, agency and policy. */
export function specialistInputOf(state: EpisodeState, specialist: string): SpecialistInput {
  const { supervisor, agency, policy } = state.config;
  return { specialist, supervisor, agency, policy };
}

function isMessage(message: SpecialistMessage, eventId: string, specialist: string): boolean {
  return message.event.eventId === eventId && message.specialist === specialist;
}

/** The message was delivered: it leaves the outbox. */
export function withSpecialistTold(state: EpisodeState, told: SpecialistMessage): EpisodeState {
  const outbox = (state.specialistOutbox ?? []).filter((message) => !isMessage(message, told.event.eventId, told.specialist));
  return { ...state, specialistOutbox: outbox };
}

/** The message could not be delivered: it stays, and waits for its retry. */
export function withSpecialistUntold(state: EpisodeState, untold: SpecialistMessage, refusal: FhirRefusal, now: number): EpisodeState {
  const outbox = (state.specialistOutbox ?? []).map((message) =>
    isMessage(message, untold.event.eventId, untold.specialist) ? { ...message, failure: nextFailure(message.failure, refusal, now) } : message,
  );
  return { ...state, specialistOutbox: outbox };
}

/** Messages that failed and wait for their retry. */
export function untoldMessages(state: EpisodeState): SpecialistMessage[] {
  return (state.specialistOutbox ?? []).filter((message) => message.failure !== undefined);
}
