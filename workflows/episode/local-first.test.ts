import { ActivityFailure, ApplicationFailure, CancelledFailure, RetryState, TimeoutFailure, TimeoutType } from '@temporalio/common';
import { describe, expect, test } from 'vitest';
import { retryAfterOf, worthHandingOn } from './local-first.ts';

const failed = (cause: Error) => new ActivityFailure('local activity failed', 'writeRequirementTask', '1', RetryState.MAXIMUM_ATTEMPTS_REACHED, undefined, cause);

describe('a failed local attempt', () => {
  test('is handed to the ordinary activity when retrying may help: FHIR down or busy, timed out, a network error', () => {
    expect(worthHandingOn(failed(ApplicationFailure.retryable('FHIR server answered HTTP 503', 'FhirServerError')))).toBe(true);
    expect(worthHandingOn(failed(new TimeoutFailure('timed out', undefined, TimeoutType.START_TO_CLOSE)))).toBe(true);
    expect(worthHandingOn(failed(ApplicationFailure.create({ message: 'fetch failed', type: 'TypeError' })))).toBe(true);
    // A local activity's failure reaches the workflow as it is, not wrapped.
    expect(worthHandingOn(ApplicationFailure.retryable('FHIR server answered HTTP 503', 'FhirServerError'))).toBe(true);
    expect(worthHandingOn(new TimeoutFailure('timed out', undefined, TimeoutType.START_TO_CLOSE))).toBe(true);
  });

  test('is not handed on when it can never succeed or the workflow was cancelled', () => {
    expect(worthHandingOn(failed(ApplicationFailure.nonRetryable('HTTP 400: Task.owner missing', 'FhirRequestRejected')))).toBe(false);
    expect(worthHandingOn(failed(new CancelledFailure('cancelled')))).toBe(false);
    expect(worthHandingOn(ApplicationFailure.nonRetryable('HTTP 422', 'FhirRequestRejected'))).toBe(false);
    expect(worthHandingOn(new CancelledFailure('cancelled'))).toBe(false);
    expect(worthHandingOn(new Error('a bug in workflow code'))).toBe(false);
  });

  test("waits for the FHIR server's Retry-After, carried in the failure's details", () => {
    expect(retryAfterOf(ApplicationFailure.create({ message: '503', type: 'FhirServerError', details: [{ retryAfterMs: 7000 }] }))).toBe(7000);
    expect(retryAfterOf(ApplicationFailure.create({ message: '503', type: 'FhirServerError' }))).toBeUndefined();
    expect(retryAfterOf(ApplicationFailure.create({ message: '503', details: [{ retryAfterMs: 0 }] }))).toBeUndefined();
    expect(retryAfterOf(new TimeoutFailure('timed out', undefined, TimeoutType.START_TO_CLOSE))).toBeUndefined();
  });
});
