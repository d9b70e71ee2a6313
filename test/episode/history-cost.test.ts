/**
 * What an event costs in history (issue 6: at most 1,000 events per episode-year): a Task write is
 * one local activity marker, a wake-up timer keeps running while the event does not move it past
 * its instant, and search attributes are upserted only when they change. And when the FHIR server
 * asks to be left alone (503 with Retry-After), the write waits as asked and goes on as an ordinary
 * activity, written once.
 */
import proto from '@temporalio/proto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  faceToFace as contact,
  episodeInput,
  individualNote as note,
  localActivityOf,
  localNoon,
  recordFixture,
  send,
  skipTo,
  startEpisode,
  startStack,
  type Stack,
  summaryOf,
  taskRows,
  taskWrites,
  terminateWhenIdle,
  upsertedAttributes,
} from './harness.ts';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;
const { EventType } = proto.temporal.api.enums.v1;

/** Writes of this episode's Tasks the FHIR server answers with 503 and `Retry-After: 2` while above zero. */
let unavailableWrites = { episode: '', count: 0 };
/** Writes of this episode's Tasks that take 6 s (longer than a local attempt may) while above zero. */
let slowWrites = { episode: '', count: 0 };
/** Settles when the FHIR server has answered the last slow write. */
let slowWriteAnswered: Promise<void> = Promise.resolve();
const failingFetch: typeof fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
  const taskWrite = (faults: { episode: string; count: number }) =>
    faults.count > 0 && /\/Task(\/|\?|$)/.test(url) && ['POST', 'PUT'].includes(method.toUpperCase()) && String(init?.body ?? '').includes(`"${faults.episode}/`);
  if (taskWrite(unavailableWrites)) {
    unavailableWrites.count -= 1;
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient', details: { text: 'maintenance' } }] };
    return new Response(JSON.stringify(outcome), { status: 503, headers: { 'Content-Type': 'application/fhir+json', 'Retry-After': '2' } });
  }
  if (taskWrite(slowWrites)) {
    slowWrites.count -= 1;
    const sent = new Promise((resolve) => setTimeout(resolve, 6000)).then(() => fetch(input, init));
    slowWriteAnswered = sent.then(() => undefined, () => undefined);
    return sent;
  }
  return fetch(input, init);
};
const waitForTask = async (episode: string, key: string) => {
  for (let i = 0; i < 150 && !(await taskRows(stack.fhir, episode))[key]; i++) await new Promise((resolve) => setTimeout(resolve, 200));
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ fetch: failingFetch });
  await skipTo(stack.env, localNoon('2035-03-05'));
}, 300_000);
afterAll(async () => stack?.stop());

const ofType = (events: HistoryEvent[], type: keyof typeof EventType) => events.filter((event) => event.eventType === EventType[type]);

test('a busy month: one marker per Task write, timers kept while the wake-up stays, search attributes upserted only on change', { timeout: 300_000 }, async () => {
  const handle = await startEpisode(stack, episodeInput('busy1', '2035-03-05'));
  const weeks = [
    ['f1', '2035-03-06'],
    ['f2', '2035-03-13'],
    ['f3', '2035-03-20'],
    ['f4', '2035-03-27'],
  ] as const;
  await send(handle, { type: 'document-completed', eventId: 'QuestionnaireResponse/cip/_history/1', requirement: 'CIP-INITIAL', questionnaireResponseId: 'cip', completedAt: new Date(localNoon('2035-03-06')).toISOString() });
  for (const [id, date] of weeks) {
    await skipTo(stack.env, localNoon(date));
    await send(handle, contact(id, date));
    await send(handle, note(id, date));
  }
  await skipTo(stack.env, localNoon('2035-04-02'));

  const rows = await taskRows(stack.fhir, 'busy1');
  for (const [id] of weeks) expect(rows[`NOTE-INDIVIDUAL/${id}`]).toMatchObject({ status: 'completed', businessStatus: 'met-on-time' });
  expect(rows['CIP-INITIAL/1']).toMatchObject({ status: 'completed', businessStatus: 'met-on-time' });

  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  // Every write ran locally: a marker each, none an ordinary activity, each with its summary.
  expect(ofType(events, 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED')).toEqual([]);
  const writes = events.map(localActivityOf).filter((local) => local?.activityType === 'writeRequirementTask');
  expect(writes.length).toBe(taskWrites(events));
  expect(writes.length).toBeGreaterThanOrEqual(1 + 2 * weeks.length);
  for (const marker of events.filter((event) => localActivityOf(event))) expect(summaryOf(marker)).toMatch(/^(Task \S+ \S+|evidence for \d+ requirement\(s\)|episode-assigned to \S+)$/);
  // A contact brings the wake-up forward (its note is due in two days): one timer started; the note
  // written puts it back on the timer still running, cancelling only the note's.
  const started = ofType(events, 'EVENT_TYPE_TIMER_STARTED');
  for (const timer of started) expect(summaryOf(timer)).toMatch(/^(\S+ (opens|due soon|overdue)|schedule recurring requirements|discharge plan grace period ends)$/);
  expect(started.length).toBeLessThanOrEqual(weeks.length + 2);
  expect(ofType(events, 'EVENT_TYPE_TIMER_CANCELED').length).toBeLessThanOrEqual(weeks.length + 1);
  // Search attributes: no upsert repeats the one before it.
  const upserts = events.map(upsertedAttributes).filter((attributes) => attributes !== undefined);
  for (let index = 1; index < upserts.length; index++) expect(upserts[index]).not.toEqual(upserts[index - 1]);
  const updates = 1 + 2 * weeks.length;
  console.log(`busy month: ${events.length} history events for ${updates} events (${(events.length / updates).toFixed(1)} each)`);
  recordFixture('busy-month', history);
  await terminateWhenIdle(handle);
});

test('FHIR answers a write 503 with Retry-After: the write waits as asked, then goes on as an ordinary activity, and is written once', { timeout: 120_000 }, async () => {
  await skipTo(stack.env, localNoon('2035-04-06'));
  unavailableWrites = { episode: 'busy2', count: 1 };
  const handle = await startEpisode(stack, episodeInput('busy2', '2035-04-06'));
  await waitForTask('busy2', 'CIP-INITIAL/1');
  expect(unavailableWrites.count).toBe(0);
  expect(await taskRows(stack.fhir, 'busy2')).toEqual({ 'CIP-INITIAL/1': expect.objectContaining({ status: 'ready', businessStatus: 'open' }) });

  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  const failedLocally = events.filter((event) => localActivityOf(event)?.failed);
  expect(failedLocally.map((event) => summaryOf(event))).toEqual(['Task CIP-INITIAL/1 open']);
  const waited = ofType(events, 'EVENT_TYPE_TIMER_STARTED').find((event) => summaryOf(event)?.startsWith('FHIR server asked to retry later'));
  expect(waited?.timerStartedEventAttributes?.startToFireTimeout).toMatchObject({ seconds: expect.anything() });
  expect(Number(waited?.timerStartedEventAttributes?.startToFireTimeout?.seconds)).toBe(2);
  const ordinary = ofType(events, 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
  expect(ordinary.map((event) => event.activityTaskScheduledEventAttributes?.activityType?.name)).toEqual(['writeRequirementTask']);
  expect(events.indexOf(waited!)).toBeLessThan(events.indexOf(ordinary[0]!));
  recordFixture('fhir-retry-after', history);
  await terminateWhenIdle(handle);
});

test('a write slower than a local attempt may take is handed to the ordinary activity, and the Task is there once', { timeout: 120_000 }, async () => {
  await skipTo(stack.env, localNoon('2035-04-08'));
  slowWrites = { episode: 'busy3', count: 1 };
  const handle = await startEpisode(stack, episodeInput('busy3', '2035-04-08'));
  await waitForTask('busy3', 'CIP-INITIAL/1');
  // The slow request reaches the server after the ordinary activity's: its conditional create finds the Task.
  await slowWriteAnswered;
  expect(slowWrites.count).toBe(0);
  expect(await taskRows(stack.fhir, 'busy3')).toEqual({ 'CIP-INITIAL/1': expect.objectContaining({ status: 'ready', businessStatus: 'open' }) });
  const events = (await handle.fetchHistory()).events ?? [];
  expect(events.filter((event) => localActivityOf(event)?.failed).map((event) => summaryOf(event))).toEqual(['Task CIP-INITIAL/1 open']);
  expect(ofType(events, 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED').map((event) => event.activityTaskScheduledEventAttributes?.activityType?.name)).toEqual(['writeRequirementTask']);
  await terminateWhenIdle(handle);
});
