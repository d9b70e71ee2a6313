/**
 * An EHR's "no" never fails an episode: a Task write the FHIR server refuses stays in the episode's
 * state as not written, with the status and code the server gave, is tried again on a growing
 * backoff while the episode's other Tasks are written, and is written once the server accepts it.
 * The embedded server stands behind a gateway that refuses one requirement's writes as HAPI
 * refuses a reference it cannot resolve; test/intake runs the same against HAPI itself.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { getState } from '../../workflows/episode/messages.ts';
import { episodeInput, faceToFace, localNoon, recordFixture, send, skipTo, summaryOf, startEpisode, startStack, type Stack, taskRows, terminateWhenIdle, until } from './harness.ts';

const MINUTE = 60_000;
/** While set, the FHIR server answers writes of this Task identifier with 400. */
let refused: string | undefined;
let refusals = 0;
/** While set, the FHIR server answers searches naming this episode with 403. */
let forbiddenSearches: string | undefined;
const refusingFetch: typeof fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  const method = (init?.method ?? 'GET').toUpperCase();
  if (forbiddenSearches && method === 'GET' && url.includes(forbiddenSearches)) {
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden' }] };
    return new Response(JSON.stringify(outcome), { status: 403, headers: { 'Content-Type': 'application/fhir+json' } });
  }
  if (refused && /\/Task(\/|\?|$)/.test(url) && ['POST', 'PUT'].includes(method) && String(init?.body ?? '').includes(`"${refused}"`)) {
    refusals++;
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: 'HAPI-1094: Resource Practitioner/missing not found' }] };
    return new Response(JSON.stringify(outcome), { status: 400, headers: { 'Content-Type': 'application/fhir+json' } });
  }
  return fetch(input, init);
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ fetch: refusingFetch });
  await skipTo(stack.env, localNoon('2036-01-06'));
}, 300_000);
afterAll(async () => stack?.stop());

test('a refused Task write leaves the episode running, its other Tasks written, and is retried on a growing backoff until written', { timeout: 300_000 }, async () => {
  const admitted = '2036-01-06';
  const input = episodeInput('refused1', admitted);
  refused = 'refused1/CIP-INITIAL/1';
  const handle = await startEpisode(stack, input);
  const cip = async () => (await handle.query(getState)).requirements['CIP-INITIAL/1'];

  const first = await until('CIP-INITIAL refused once', cip, (requirement) => requirement?.writeFailure?.attempts === 1);
  expect(first!.writeFailure).toMatchObject({ status: 400, code: 'processing' });
  expect(first!.writeFailure!.retryAt - first!.writeFailure!.since).toBe(MINUTE);
  expect(first!.taskId).toBeUndefined();
  expect((await handle.describe()).status.name).toBe('RUNNING');
  // A contact meanwhile: its note's Task is written while CIP-INITIAL waits for its retry.
  await send(handle, faceToFace('c1', admitted));
  const rows = await until('the note Task written', () => taskRows(stack.fhir, 'refused1'), (tasks) => tasks['NOTE-INDIVIDUAL/c1'] !== undefined);
  expect(rows['NOTE-INDIVIDUAL/c1']).toMatchObject({ status: 'ready', businessStatus: 'due-soon' });
  expect(rows['CIP-INITIAL/1']).toBeUndefined();
  expect((await cip())!.writeFailure!.attempts).toBe(1);

  // Still refused: one more attempt a minute later, then two minutes later, and so on.
  await skipTo(stack.env, first!.writeFailure!.retryAt + 1);
  const second = await until('CIP-INITIAL refused twice', cip, (requirement) => requirement?.writeFailure?.attempts === 2);
  // Tried again at the first retry instant (give or take the workflow task's clock), then twice as long a wait.
  expect(second!.writeFailure!.retryAt - first!.writeFailure!.retryAt).toBeGreaterThanOrEqual(2 * MINUTE);
  expect(second!.writeFailure!.retryAt - first!.writeFailure!.retryAt).toBeLessThan(2 * MINUTE + 10_000);
  expect(second!.writeFailure!.since).toBe(first!.writeFailure!.since);

  // The EHR accepts it now: the next retry writes it, and the failure is gone.
  refused = undefined;
  await skipTo(stack.env, second!.writeFailure!.retryAt + 1);
  const written = await until('CIP-INITIAL written', cip, (requirement) => requirement?.taskId !== undefined);
  expect(written!.writeFailure).toBeUndefined();
  expect((await taskRows(stack.fhir, 'refused1'))['CIP-INITIAL/1']).toMatchObject({ status: 'ready', businessStatus: 'open' });
  expect(refusals).toBe(2);

  const history = await handle.fetchHistory();
  expect((history.events ?? []).filter((event) => event.workflowTaskFailedEventAttributes)).toEqual([]);
  recordFixture('refused-write', history);
  await terminateWhenIdle(handle);
});

test('a refused evidence search at the start waits on the same backoff, then the start goes on', { timeout: 300_000 }, async () => {
  // Admitted a month ago: CIP-INITIAL is already due, so the start searches the record first.
  await skipTo(stack.env, localNoon('2036-02-10'));
  forbiddenSearches = 'refused2';
  const handle = await startEpisode(stack, episodeInput('refused2', '2036-01-09'));
  const retryTimer = async () =>
    ((await handle.fetchHistory()).events ?? []).filter((event) => event.timerStartedEventAttributes).map((event) => summaryOf(event));
  expect(await until('the search waits', retryTimer, (summaries) => summaries.length > 0)).toEqual(['evidence search retry after HTTP 403 forbidden']);
  expect((await handle.describe()).status.name).toBe('RUNNING');
  expect((await handle.query(getState)).reconciled).toBe(false);

  forbiddenSearches = undefined;
  await skipTo(stack.env, localNoon('2036-02-10') + MINUTE + 1);
  const state = await until('the start reconciled', () => handle.query(getState), (current) => current.reconciled && current.requirements['CIP-INITIAL/1']?.taskId !== undefined);
  expect(state.requirements['CIP-INITIAL/1']!.stage).toBe('overdue');
  expect((await taskRows(stack.fhir, 'refused2'))['CIP-INITIAL/1']).toMatchObject({ status: 'ready', businessStatus: 'overdue' });
  await terminateWhenIdle(handle);
});
