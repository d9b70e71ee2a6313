import { ActivityFailure, ApplicationFailure, RetryState, TimeoutFailure, TimeoutType } from '@temporalio/common';
import { describe, expect, test } from 'vitest';
import { refusalOfFailedCall } from './failed-call.ts';

const activityFailed = (cause: Error) => new ActivityFailure('activity failed', 'writeRequirementTask', '7', RetryState.MAXIMUM_ATTEMPTS_REACHED, undefined, cause);
const refused = (status: number, code: string) =>
  ApplicationFailure.create({ message: `Task write: HTTP ${status} ${code}`, type: status >= 500 ? 'FhirServerError' : 'FhirRequestRejected', details: [{ status, code }] });

describe('what the FHIR server answered, read off a failed write', () => {
  test.each<[string, unknown, ReturnType<typeof refusalOfFailedCall>]>([
    ['a local attempt refused (the failure as it is)', refused(400, 'processing'), { status: 400, code: 'processing' }],
    ['an ordinary activity refused', activityFailed(refused(422, 'invariant')), { status: 422, code: 'invariant' }],
    ['an ordinary activity out of attempts on 503', activityFailed(refused(503, 'transient')), { status: 503, code: 'transient' }],
    ['an attempt that timed out', activityFailed(new TimeoutFailure('timed out', undefined, TimeoutType.START_TO_CLOSE)), { status: 0, code: 'timeout' }],
    ['a local attempt that timed out', new TimeoutFailure('timed out', undefined, TimeoutType.START_TO_CLOSE), { status: 0, code: 'timeout' }],
    ['no answer (connection refused)', activityFailed(ApplicationFailure.create({ message: 'no answer', type: 'FhirServerError', details: [{ status: 0, code: 'ECONNREFUSED' }] })), { status: 0, code: 'ECONNREFUSED' }],
    ['a failure of our own code (no refusal)', activityFailed(ApplicationFailure.create({ message: 'x is undefined', type: 'TypeError' })), undefined],
    ['an error of the workflow code', new TypeError('x is undefined'), undefined],
  ])('%s', (_, error, refusal) => {
    expect(refusalOfFailedCall(error)).toEqual(refusal);
  });

  test('keeps the code only, never the server text nor the Retry-After', () => {
    const failure = ApplicationFailure.create({ message: 'm', details: [{ status: 429, code: 'throttled', retryAfterMs: 5000, text: 'Patient Jane Doe' }] });
    expect(refusalOfFailedCall(failure)).toEqual({ status: 429, code: 'throttled' });
  });
});
