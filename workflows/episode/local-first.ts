/**
 * FHIR calls made as a local activity first: the call runs inside the workflow task that needs it
 * and leaves one marker in history, where an ordinary activity leaves three events and a second
 * workflow task. Only the fast path is local. A retryable failure (FHIR down, slow, busy, or an
 * answer that is not FHIR) hands the call to the ordinary activity, as before the change: its
 * retries are the server's (honouring `Retry-After`), the Web UI lists it as pending with its
 * attempts and last failure, and it never holds the workflow task open while FHIR is away. A
 * failure that can never succeed fails the workflow as the ordinary activity's does.
 */
import { ActivityFailure, ApplicationFailure, type LocalActivityOptions, sleep, TimeoutFailure } from '@temporalio/workflow';
import type { FhirRefusal } from '../../domain/episode/episode-activities.ts';

/** One attempt, far below the workflow task timeout (10 s): a write takes milliseconds, one that does not is handed on. */
export const LOCAL_ATTEMPT = {
  startToCloseTimeout: '5 seconds',
  // Retrying is the ordinary activity's job: server-side backoff, visible while it lasts, and the
  // workflow keeps taking events meanwhile. With one attempt `localRetryThreshold` never applies.
  retry: { maximumAttempts: 1 },
} satisfies LocalActivityOptions;

/** The FHIR server's `Retry-After` carried by a failure (see `FhirRefusal`), in ms. */
export function retryAfterOf(failure: unknown): number | undefined {
  if (!(failure instanceof ApplicationFailure)) return undefined;
  const detail = failure.details?.[0] as Partial<FhirRefusal> | undefined;
  return typeof detail?.retryAfterMs === 'number' && detail.retryAfterMs > 0 ? detail.retryAfterMs : undefined;
}

/** The failure of a local attempt: the SDK rejects with it as it is, or (ordinary activities) wrapped in an ActivityFailure. */
function failureOf(error: unknown): unknown {
  return error instanceof ActivityFailure ? error.cause : error;
}

/** Whether the ordinary activity may still succeed where the local attempt failed: a retryable failure or a timeout, not a final failure or a cancellation. */
export function worthHandingOn(error: unknown): boolean {
  const failure = failureOf(error);
  if (failure instanceof ApplicationFailure) return !failure.nonRetryable;
  return failure instanceof TimeoutFailure;
}

/**
 * `local()` once; when it fails retryably, `ordinary()` (after the FHIR server's `Retry-After`,
 * if it gave one). Both must be the same idempotent call.
 */
export async function locallyFirst<R>(local: () => Promise<R>, ordinary: () => Promise<R>, what: string): Promise<R> {
  try {
    return await local();
  } catch (error) {
    if (!worthHandingOn(error)) throw error;
    const retryAfterMs = retryAfterOf(failureOf(error));
    if (retryAfterMs !== undefined) await sleep(retryAfterMs, { summary: `FHIR server asked to retry later: ${what}` });
    return ordinary();
  }
}
