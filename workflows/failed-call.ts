/** What the FHIR server answered a Task write or evidence search, read off the failed activity call. */
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/common';
import type { FhirRefusal } from '../domain/episode/episode-activities.ts';

function isRefusal(detail: unknown): detail is FhirRefusal {
  const candidate = detail as Partial<FhirRefusal> | undefined;
  return typeof candidate?.status === 'number' && typeof candidate.code === 'string';
}

/**
 * What the FHIR server answered, read off a failed write (a local attempt's failure as it is, an
 * ordinary activity's as the cause of its ActivityFailure); undefined when the failure is not the
 * server's but ours.
 */
export function refusalOfFailedCall(error: unknown): FhirRefusal | undefined {
  const failure = error instanceof ActivityFailure ? error.cause : error;
  if (failure instanceof TimeoutFailure) return { status: 0, code: 'timeout' };
  if (!(failure instanceof ApplicationFailure)) return undefined;
  const detail = failure.details?.[0];
  return isRefusal(detail) ? { status: detail.status, code: detail.code } : undefined;
}
