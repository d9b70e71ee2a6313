import { describe, expect, test } from 'vitest';
import { noon, startedEpisode } from './episode-fixtures.ts';
import { nextWakeUp } from './schedule.ts';
import { awaitsWriteRetry, failedWrites, withoutWriteFailure, withWriteFailure, writeFailureLabel, writeRetryDelayMs } from './write-failure.ts';

const MINUTE = 60_000;

describe('the backoff of a refused write', () => {
  test.each([
    [1, 1 * MINUTE],
    [2, 2 * MINUTE],
    [3, 4 * MINUTE],
    [8, 128 * MINUTE],
    [9, 240 * MINUTE],
    [40, 240 * MINUTE],
  ])('after %i failure(s) in a row waits %i ms', (attempts, delay) => {
    expect(writeRetryDelayMs(attempts)).toBe(delay);
  });
});

describe('a requirement whose write failed', () => {
  const state = startedEpisode('2026-03-01', noon('2026-03-01'));
  const requirement = state.requirements['CIP-INITIAL/1']!;
  const t0 = Date.parse('2026-03-02T15:00:00Z');

  test('counts the failures in a row, keeps when they began, and waits longer each time', () => {
    const once = withWriteFailure(requirement, { status: 400, code: 'processing' }, t0);
    expect(once.writeFailure).toEqual({ status: 400, code: 'processing', attempts: 1, since: t0, retryAt: t0 + MINUTE });
    const twice = withWriteFailure(once, { status: 503, code: 'transient' }, t0 + MINUTE);
    expect(twice.writeFailure).toEqual({ status: 503, code: 'transient', attempts: 2, since: t0, retryAt: t0 + 3 * MINUTE });
    expect(awaitsWriteRetry(twice, t0 + 2 * MINUTE)).toBe(true);
    expect(awaitsWriteRetry(twice, t0 + 3 * MINUTE)).toBe(false);
    expect(withoutWriteFailure(twice)).toEqual(requirement);
  });

  test('is labelled with status, code, attempts and instants only', () => {
    const failure = withWriteFailure(requirement, { status: 400, code: 'processing' }, t0).writeFailure!;
    expect(writeFailureLabel(failure)).toBe('not written: HTTP 400 processing, 1 attempt since 2026-03-02T15:00:00.000Z, next 2026-03-02T15:01:00.000Z');
    expect(writeFailureLabel({ ...failure, status: 0, code: 'ECONNREFUSED', attempts: 3 })).toBe(
      'not written: no answer (ECONNREFUSED), 3 attempts since 2026-03-02T15:00:00.000Z, next 2026-03-02T15:01:00.000Z',
    );
  });

  test('wakes the episode for its retry, even once the episode is closed', () => {
    const failing = { ...state, requirements: { ...state.requirements, [requirement.key]: withWriteFailure(requirement, { status: 400, code: 'processing' }, t0) } };
    expect(failedWrites(failing).map((each) => each.key)).toEqual([requirement.key]);
    expect(nextWakeUp(failing, t0)).toEqual({ at: t0 + MINUTE, summary: `${requirement.key} write retry` });
    expect(nextWakeUp({ ...failing, status: 'closed' }, t0)).toEqual({ at: t0 + MINUTE, summary: `${requirement.key} write retry` });
    expect(nextWakeUp({ ...state, status: 'closed' }, t0)).toBeUndefined();
  });
});
