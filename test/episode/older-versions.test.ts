/**
 * The EHR's versions arrive out of order (a redelivered notification, polling beside a
 * subscription): an event from a version of a resource older than one the episode already applied
 * changes nothing, so a late EpisodeOfCare version does not hand the episode back to the
 * specialist before the current one.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { getState } from '../../workflows/episode/messages.ts';
import { episodeInput, localNoon, recordFixture, send, skipTo, startEpisode, startStack, type Stack, taskRows, terminateWhenIdle } from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  await skipTo(stack.env, localNoon('2036-03-03'));
}, 300_000);
afterAll(async () => stack?.stop());

test('an older EpisodeOfCare version delivered after a newer one changes nothing', { timeout: 120_000 }, async () => {
  const handle = await startEpisode(stack, episodeInput('older1', '2036-03-03'));
  const reassign = (version: number, lastUpdated: string, practitioner: string) =>
    send(handle, { type: 'staff-reassigned', eventId: `EpisodeOfCare/older1/_history/${version}`, sourceUpdatedAt: lastUpdated, role: 'specialist', practitioner });

  expect(await reassign(3, '2036-03-03T17:00:00.000Z', 'Practitioner/s3')).toEqual({ eventId: 'EpisodeOfCare/older1/_history/3', outcome: 'applied' });
  expect(await reassign(2, '2036-03-03T16:00:00.000Z', 'Practitioner/s2')).toEqual({ eventId: 'EpisodeOfCare/older1/_history/2', outcome: 'older' });

  const state = await handle.query(getState);
  expect(state.config.specialist).toBe('Practitioner/s3');
  expect(state.requirements['CIP-INITIAL/1']!.owner).toBe('Practitioner/s3');
  for (let polls = 0; (await taskRows(stack.fhir, 'older1'))['CIP-INITIAL/1']?.owner !== 'Practitioner/s3' && polls < 150; polls++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect((await taskRows(stack.fhir, 'older1'))['CIP-INITIAL/1']).toMatchObject({ owner: 'Practitioner/s3' });
  recordFixture('older-version', await handle.fetchHistory());
  await terminateWhenIdle(handle);
});
