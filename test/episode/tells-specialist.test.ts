/**
 * The episode tells its specialists' workflows (`specialist-<id>`) its assignment, its contacts
 * with their time, a reassignment and its discharge, by signal-with-start (the `tellSpecialist`
 * activity, a local activity first). What was told is read off the specialists' histories; what
 * they made of it, off their `getCaseload` query once the worker runs `specialistWorkload`.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { SpecialistEvent } from '../../domain/specialist/events.ts';
import { specialistWorkflowId } from '../../domain/specialist/input.ts';
import { SPECIALIST_WORKFLOW_TYPE } from '../../activities/tell-specialist.ts';
import type { EpisodeEventInput } from '../../domain/episode/events.ts';
import { getState } from '../../workflows/episode/messages.ts';
import { getCaseload } from '../../workflows/specialist/messages.ts';
import { episodeInput, faceToFace, localActivityOf, localNoon, recordFixture, send, signalsOf, skipTo, startEpisode, startStack, type Stack, summaryOf, terminateWhenIdle, until } from './harness.ts';


let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  await skipTo(stack.env, localNoon('2036-03-02'));
}, 300_000);
afterAll(async () => stack?.stop());

const timed = (id: string): EpisodeEventInput => ({ ...faceToFace(id, '2036-03-02'), start: '2036-03-02T15:00:00.000Z', minutes: 50, travelMinutes: 15 }) as EpisodeEventInput;
const timedContact = timed('c1');

test('assignment, a timed contact, reassignment and discharge are told to the old and the new specialist, each once', { timeout: 300_000 }, async () => {
  // The two specialists' workflows, on a task queue no worker polls: every signal lands in their histories as it comes.
  const specialists = ['Practitioner/specialist-1', 'Practitioner/s2'].map((specialist) =>
    stack.env.client.workflow.start(SPECIALIST_WORKFLOW_TYPE, {
      workflowId: specialistWorkflowId(specialist),
      taskQueue: 'nobody-polls-this',
      args: [{ specialist, supervisor: 'Practitioner/supervisor-1', agency: 'Organization/agency-1' }],
    }),
  );
  const [first, second] = await Promise.all(specialists);
  const heard = async (workflowId: string) => (await signalsOf(stack.env, workflowId)).map((signal) => signal.arg as SpecialistEvent);

  const handle = await startEpisode(stack, { ...episodeInput('tell1', '2036-03-02'), levelOfCare: ['rehab'] });
  await until('the assignment told', () => heard(first!.workflowId), (events) => events.length === 1);
  // Delivered twice (the intake and polling): told once, under the FHIR event's id.
  await send(handle, timedContact);
  await send(handle, timedContact);
  // Without a time: nothing to tell.
  await send(handle, faceToFace('c2', '2036-03-02'));
  await send(handle, { type: 'staff-reassigned', eventId: 'EpisodeOfCare/tell1/_history/2', role: 'specialist', practitioner: 'Practitioner/s2' });
  await send(handle, { type: 'program-discharge', eventId: 'EpisodeOfCare/tell1/_history/3', date: '2036-03-03' });
  await until('everything told', () => handle.query(getState), (state) => state.status === 'discharged' && state.specialistOutbox?.length === 0);

  const old = await heard(first!.workflowId);
  const fresh = await heard(second!.workflowId);
  expect(old.map((event) => [event.type, event.eventId])).toEqual([
    ['episode-assigned', 'EpisodeOfCare/tell1/assigned/Practitioner/specialist-1/1'],
    ['contact-recorded', 'Encounter/c1/_history/1'],
    ['episode-released', 'EpisodeOfCare/tell1/released/Practitioner/specialist-1/1'],
  ]);
  expect(fresh.map((event) => [event.type, event.eventId])).toEqual([
    ['episode-assigned', 'EpisodeOfCare/tell1/assigned/Practitioner/s2/2'],
    ['episode-released', 'EpisodeOfCare/tell1/released/Practitioner/s2/2'],
  ]);
  expect(old[0]).toMatchObject({ episodeOfCare: 'EpisodeOfCare/tell1', levelOfCare: ['rehab'], supervisor: 'Practitioner/supervisor-1' });
  expect(old[1]).toEqual({
    type: 'contact-recorded',
    eventId: 'Encounter/c1/_history/1',
    encounterId: 'c1',
    episodeOfCare: 'EpisodeOfCare/tell1',
    kind: 'face-to-face',
    start: '2036-03-02T15:00:00.000Z',
    minutes: 50,
    travelMinutes: 15,
  });
  expect([old[2], fresh[1]].map((event) => event?.type === 'episode-released' && event.reason)).toEqual(['reassigned', 'discharged']);

  // Each told in the workflow task that needed it: one local activity marker, no ordinary activity.
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  const tells = events.filter((event) => localActivityOf(event)?.activityType === 'tellSpecialist');
  expect(tells.map((event) => [summaryOf(event), localActivityOf(event)?.failed])).toEqual([
    ['episode-assigned to Practitioner/specialist-1', false],
    ['contact-recorded to Practitioner/specialist-1', false],
    ['episode-released to Practitioner/specialist-1', false],
    ['episode-assigned to Practitioner/s2', false],
    ['episode-released to Practitioner/s2', false],
  ]);
  expect(events.filter((event) => event.activityTaskScheduledEventAttributes)).toEqual([]);
  recordFixture('tells-specialist', history);
  await terminateWhenIdle(handle);
  for (const specialist of [first!, second!]) await specialist.terminate('test done');
});

test('the specialist counts the episode from its assignment to its discharge, and the contact\'s hours', { timeout: 300_000 }, async () => {
  const handle = await startEpisode(stack, { ...episodeInput('tell2', '2036-03-02'), specialist: 'Practitioner/s3' });
  const specialist = stack.env.client.workflow.getHandle('specialist-s3');
  const assigned = await until('s3 counts the episode', () => specialist.query(getCaseload).catch(() => undefined), (summary) => summary?.caseload === 1);
  expect(assigned!.episodes).toEqual(['EpisodeOfCare/tell2']);
  await send(handle, timed('c3'));
  await send(handle, { type: 'program-discharge', eventId: 'EpisodeOfCare/tell2/_history/2', date: '2036-03-03' });
  const released = await until('s3 released the episode', () => specialist.query(getCaseload), (summary) => summary.caseload === 0);
  expect(released.episodes).toEqual([]);
  await terminateWhenIdle(handle);
});
