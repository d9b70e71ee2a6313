/**
 * Continue-as-new on the time-skipping server: with a short history per run, an episode whose
 * January notes were all done continues as new in May. The new run has left those requirements
 * behind (their Tasks stay in FHIR) and lost nothing open: the overdue note and its escalation go
 * on to be met on the same Tasks, and the January contact seen again opens nothing.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { getState } from '../../workflows/episode/messages.ts';
import { isPending } from '../../domain/episode/state.ts';
import { faceToFace as contact, episodeInput, historyLengths, individualNote as note, localNoon, send, skipTo, startEpisode, startStack, type Stack, taskRows } from './harness.ts';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await skipTo(stack.env, localNoon('2038-01-04'));
}, 300_000);
afterAll(async () => stack?.stop());

test('closed requirements older than 90 days are left behind at continue-as-new; nothing open is lost', { timeout: 300_000 }, async () => {
  const handle = await startEpisode(stack, { ...episodeInput('can1', '2038-01-04'), historyEventsPerRun: 200 });
  const latestRun = async () => (await stack.env.client.workflow.getHandle(handle.workflowId).describe()).runId;

  await skipTo(stack.env, localNoon('2038-01-08'));
  await send(handle, { type: 'document-completed', eventId: 'QuestionnaireResponse/cip/_history/1', requirement: 'CIP-INITIAL', questionnaireResponseId: 'cip', completedAt: '2038-01-08T10:00:00-06:00' });
  for (const [id, date] of [['c1', '2038-01-11'], ['c2', '2038-01-13'], ['c3', '2038-01-18'], ['c4', '2038-01-20']] as const) {
    await skipTo(stack.env, localNoon(date));
    await send(handle, contact(id, date));
    await send(handle, note(id, date));
  }
  await skipTo(stack.env, localNoon('2038-01-25'));
  await send(handle, contact('open1', '2038-01-25')); // its note never comes in January

  await skipTo(stack.env, localNoon('2038-05-10'));
  const before = await handle.query(getState);
  expect(before.requirements['NOTE-INDIVIDUAL/c1']).toMatchObject({ stage: 'met-on-time' });
  const pendingBefore = Object.values(before.requirements).filter(isPending);
  expect(pendingBefore.map((requirement) => requirement.key)).toEqual(expect.arrayContaining(['NOTE-INDIVIDUAL/open1', 'ESCALATION/NOTE-INDIVIDUAL/open1', 'QR/2038-04-04']));

  // May's notes, done on time, until the run's history is long enough to continue as new.
  const run = await latestRun();
  for (let i = 1; (await latestRun()) === run; i++) {
    expect(i).toBeLessThan(30);
    await send(handle, contact(`may${i}`, '2038-05-10'));
    await send(handle, note(`may${i}`, '2038-05-10'));
  }

  const after = await handle.query(getState);
  for (const gone of ['CIP-INITIAL/1', 'NOTE-INDIVIDUAL/c1', 'NOTE-INDIVIDUAL/c4']) {
    expect(after.requirements[gone]).toBeUndefined();
    expect(after.retiredKeys).toContain(gone);
  }
  for (const requirement of pendingBefore) {
    const { stage, taskId, dueAt } = requirement;
    expect(after.requirements[requirement.key], requirement.key).toMatchObject({ stage, dueAt, ...(taskId ? { taskId } : {}) });
  }
  expect(after.requirements['NOTE-INDIVIDUAL/may1']).toMatchObject({ stage: 'met-on-time' });

  // The Tasks of the requirements left behind stay in FHIR as they were.
  let rows = await taskRows(stack.fhir, 'can1');
  expect(rows['NOTE-INDIVIDUAL/c1']).toMatchObject({ status: 'completed', businessStatus: 'met-on-time', evidence: 'QuestionnaireResponse/n-c1' });
  expect(rows['CIP-INITIAL/1']).toMatchObject({ status: 'completed', businessStatus: 'met-on-time' });

  // The open note is met in the new run, on its Task and its escalation's.
  await send(handle, note('open1', '2038-05-11'));
  // The EHR edits the January contact: it opens nothing again.
  await send(handle, contact('c1', '2038-01-11', 2));
  await skipTo(stack.env, localNoon('2038-05-12'));
  rows = await taskRows(stack.fhir, 'can1');
  expect(rows['NOTE-INDIVIDUAL/open1']).toMatchObject({ status: 'completed', businessStatus: 'met-late', evidence: 'QuestionnaireResponse/n-open1' });
  expect(rows['ESCALATION/NOTE-INDIVIDUAL.open1']).toMatchObject({ status: 'completed', businessStatus: 'met-late', owner: 'Practitioner/supervisor-1' });
  expect(rows['NOTE-INDIVIDUAL/c1']).toMatchObject({ status: 'completed', businessStatus: 'met-on-time' });
  expect((await handle.query(getState)).requirements['NOTE-INDIVIDUAL/c1']).toBeUndefined();

  // Even under a steady stream of events each run stays near its bound: Task writes yield to continue-as-new.
  const lengths = await historyLengths(stack.env, handle.workflowId, handle.firstExecutionRunId);
  // (Two runs since an event costs about 7 history events rather than 14: writes are local, timers kept.)
  expect(lengths.length).toBeGreaterThanOrEqual(2);
  for (const length of lengths) expect(length).toBeLessThan(260);
});
