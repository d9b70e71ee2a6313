/**
 * How a failed FHIR request reaches Temporal: as an ApplicationFailure whose first detail is the
 * `FhirRefusal` (HTTP status and OperationOutcome code), which the episode records on the
 * requirement it could not write. Whether the activity retries it itself depends on the status:
 * 401 (after the token was fetched anew), 408, 409, 412, 429, 5xx and no answer may pass soon;
 * any other 4xx will be answered the same way until someone changes the EHR, so it goes straight
 * back to the workflow, which retries it on its own, longer backoff.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { FhirAnswerNotJson, FhirHttpError, FhirServerUnreachable } from '../platform/fhir-http-error.ts';
import type { FhirRefusal } from '../domain/episode/episode-activities.ts';

const RETRYABLE_STATUSES = new Set([401, 408, 409, 412, 429]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status) || status >= 500;
}

/** What the server answered, or undefined when the error is not the server's (then it is ours). */
export function refusalOf(error: unknown): FhirRefusal | undefined {
  if (error instanceof FhirHttpError) {
    return { status: error.status, code: error.code, ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }) };
  }
  if (error instanceof FhirServerUnreachable) return { status: 0, code: error.code };
  // The same refusal as an answer that is JSON but no FHIR resource (fhir-answer.ts).
  if (error instanceof FhirAnswerNotJson) return { status: error.status, code: 'not-fhir' };
  return undefined;
}

/** Rethrows `error` as Temporal should see it; `what` names the request (resource types and ids only). */
export function classifyFhirError(error: unknown, what: string): never {
  const refusal = refusalOf(error);
  if (!refusal) throw error;
  const answered = refusal.status === 0 ? `no answer (${refusal.code})` : `HTTP ${refusal.status} ${refusal.code}`;
  // A success that is no FHIR may be a gateway's mistake that passes: retryable, like expectResource's.
  const unexpected = refusal.status > 0 && refusal.status < 400;
  const retryable = refusal.status === 0 || unexpected || isRetryableStatus(refusal.status);
  throw ApplicationFailure.create({
    message: `${what}: ${answered}`,
    type: unexpected ? 'FhirAnswerUnexpected' : retryable ? 'FhirServerError' : 'FhirRequestRejected',
    nonRetryable: !retryable,
    // The server honours it between attempts of an activity; the workflow reads it from the detail.
    nextRetryDelay: refusal.retryAfterMs,
    details: [refusal],
  });
}
