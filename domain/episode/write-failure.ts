/**
 * A Task write the FHIR server refused or did not answer. The requirement keeps what the server
 * said (HTTP status and OperationOutcome code, never its text) and stays unwritten; the episode
 * goes on with its other requirements and timers and tries this one again after a backoff that
 * grows from a minute to four hours (`workflows/failed-call.ts` reads the answer off the
 * failed activity call). An EHR's "no" is never the end of an episode: someone may
 * yet create the missing Practitioner, lift the rule, or bring the server back.
 */
import type { FhirRefusal } from './episode-activities.ts';
import type { EpisodeState, Requirement, WriteFailure } from './state.ts';

const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 4 * 3_600_000;

/** The wait after the `attempts`-th failure in a row: 1 min, 2, 4… up to 4 h. */
export function writeRetryDelayMs(attempts: number): number {
  return Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/** The requirement after one more failed write at `now`. */
export function withWriteFailure(requirement: Requirement, refusal: FhirRefusal, now: number): Requirement {
  return { ...requirement, writeFailure: nextFailure(requirement.writeFailure, refusal, now) };
}

/** One more failure in a row after `previous` (a Task write's, a message's to a specialist). */
export function nextFailure(previous: WriteFailure | undefined, refusal: FhirRefusal, now: number): WriteFailure {
  const attempts = (previous?.attempts ?? 0) + 1;
  return { status: refusal.status, code: refusal.code, attempts, since: previous?.since ?? now, retryAt: now + writeRetryDelayMs(attempts) };
}

/** The requirement once its Task was written. */
export function withoutWriteFailure(requirement: Requirement): Requirement {
  const { writeFailure: _written, ...rest } = requirement;
  return rest;
}

/** Whether the requirement's write waits for its retry at `now`. */
export function awaitsWriteRetry(requirement: Requirement, now: number): boolean {
  return requirement.writeFailure !== undefined && requirement.writeFailure.retryAt > now;
}

export function failedWrites(state: EpisodeState): Requirement[] {
  return Object.values(state.requirements).filter((requirement) => requirement.writeFailure !== undefined);
}

/** `HTTP 400 processing`, or `no answer (ECONNREFUSED)`. */
export function answerLabel(refusal: FhirRefusal): string {
  return refusal.status === 0 ? `no answer (${refusal.code})` : `HTTP ${refusal.status} ${refusal.code}`;
}

/** e.g. `not written: HTTP 400 processing, 3 attempts since 2026-03-01T10:00:00.000Z, next 2026-03-01T10:07:00.000Z`. */
export function writeFailureLabel(failure: WriteFailure): string {
  const answer = answerLabel(failure);
  const attempts = failure.attempts === 1 ? '1 attempt' : `${failure.attempts} attempts`;
  return `not written: ${answer}, ${attempts} since ${new Date(failure.since).toISOString()}, next ${new Date(failure.retryAt).toISOString()}`;
}
