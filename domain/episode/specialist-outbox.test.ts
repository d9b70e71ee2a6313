import { describe, expect, test } from 'vitest';
import { applyEvent } from './apply-event.ts';
import { carryOver } from './carry-over.ts';
import { event, type EventFields, noon, startedEpisode } from './episode-fixtures.ts';
import { nextWakeUp } from './schedule.ts';
import {
  nextSpecialistMessage,
  specialistInputOf,
  startTellingSpecialist,
  untoldMessages,
  withSpecialistTold,
  withSpecialistUntold,
} from './specialist-outbox.ts';
import type { EpisodeState } from './state.ts';

const now = noon('2026-01-20');
const at = new Date(now).toISOString();
const apply = (state: EpisodeState, fields: EventFields, when = now) => applyEvent(state, event(fields), when);
const told = (state: EpisodeState) => (state.specialistOutbox ?? []).map((message) => [message.specialist, message.event.eventId]);
/** Delivers every message, as the workflow does when every signal lands. */
const delivered = (state: EpisodeState) => (state.specialistOutbox ?? []).reduce(withSpecialistTold, state);
const telling = () => startTellingSpecialist(startedEpisode('2026-01-15', now), now);
const contact = { type: 'contact-recorded', encounterId: 'c1', kind: 'face-to-face', date: '2026-01-19', start: '2026-01-19T15:00:00.000Z', minutes: 60, travelMinutes: 20 } as const;

describe('startTellingSpecialist', () => {
  test('an active episode tells its specialist once that it is theirs', () => {
    const state = telling();
    expect(state.specialistOutbox).toEqual([
      {
        specialist: 'Practitioner/specialist-1',
        event: {
          type: 'episode-assigned',
          eventId: 'EpisodeOfCare/e1/assigned/Practitioner/specialist-1/1',
          episodeOfCare: 'EpisodeOfCare/e1',
          levelOfCare: [],
          supervisor: 'Practitioner/supervisor-1',
          at,
        },
      },
    ]);
    expect(startTellingSpecialist(delivered(state), now).specialistOutbox).toEqual([]);
  });
  test('a discharged episode (running when the patch landed) has nothing to tell', () => {
    const discharged = apply(startedEpisode('2026-01-15', now), { type: 'program-discharge', date: '2026-01-20' });
    expect(startTellingSpecialist(discharged, now).specialistOutbox).toEqual([]);
  });
  test('before it, the reducers tell nothing (histories recorded before the patch)', () => {
    const state = apply(apply(startedEpisode('2026-01-15', now), contact), { type: 'staff-reassigned', role: 'specialist', practitioner: 'Practitioner/s2' });
    expect(state.specialistOutbox).toBeUndefined();
  });
});

describe('the reducers tell', () => {
  test('a reassignment: the old specialist released, the new one assigned; restating the same one tells nothing', () => {
    const state = apply(delivered(telling()), { type: 'staff-reassigned', role: 'specialist', practitioner: 'Practitioner/s2' });
    expect(state.specialistOutbox?.map((message) => message.event)).toEqual([
      { type: 'episode-released', eventId: 'EpisodeOfCare/e1/released/Practitioner/specialist-1/1', episodeOfCare: 'EpisodeOfCare/e1', reason: 'reassigned', at },
      expect.objectContaining({ type: 'episode-assigned', eventId: 'EpisodeOfCare/e1/assigned/Practitioner/s2/2' }),
    ]);
    expect(told(apply(delivered(state), { type: 'staff-reassigned', role: 'specialist', practitioner: 'Practitioner/s2' }))).toEqual([]);
    expect(told(apply(delivered(state), { type: 'staff-reassigned', role: 'supervisor', practitioner: 'Practitioner/sup2' }))).toEqual([]);
  });
  test('back to the first specialist: a new assignment number, so it is not taken for the first', () => {
    let state = apply(delivered(telling()), { type: 'staff-reassigned', role: 'specialist', practitioner: 'Practitioner/s2' });
    state = apply(delivered(state), { type: 'staff-reassigned', role: 'specialist', practitioner: 'Practitioner/specialist-1' });
    expect(told(state)).toEqual([
      ['Practitioner/s2', 'EpisodeOfCare/e1/released/Practitioner/s2/2'],
      ['Practitioner/specialist-1', 'EpisodeOfCare/e1/assigned/Practitioner/specialist-1/3'],
    ]);
  });
  test('the discharge releases the specialist once', () => {
    const state = apply(delivered(telling()), { type: 'program-discharge', date: '2026-01-20' });
    expect(state.specialistOutbox?.map((message) => message.event)).toEqual([
      { type: 'episode-released', eventId: 'EpisodeOfCare/e1/released/Practitioner/specialist-1/1', episodeOfCare: 'EpisodeOfCare/e1', reason: 'discharged', at },
    ]);
    expect(told(apply(delivered(state), { type: 'staff-reassigned', role: 'specialist', practitioner: 'Practitioner/s2' }))).toEqual([]);
  });
  test("a contact with its time, under the FHIR event's id, to the episode's specialist", () => {
    const recorded = event({ ...contact, sourceUpdatedAt: '2026-01-19T18:00:00.000Z' });
    const state = applyEvent(delivered(telling()), recorded, now);
    expect(state.specialistOutbox).toEqual([
      {
        specialist: 'Practitioner/specialist-1',
        event: {
          type: 'contact-recorded',
          eventId: recorded.eventId,
          encounterId: 'c1',
          episodeOfCare: 'EpisodeOfCare/e1',
          kind: 'face-to-face',
          start: '2026-01-19T15:00:00.000Z',
          minutes: 60,
          travelMinutes: 20,
          sourceUpdatedAt: '2026-01-19T18:00:00.000Z',
        },
      },
    ]);
  });
  test("to the Encounter's Practitioner when it names one; none without minutes or start", () => {
    expect(told(apply(delivered(telling()), { ...contact, practitioner: 'Practitioner/covering' }))[0]?.[0]).toBe('Practitioner/covering');
    const { minutes: _minutes, ...untimed } = contact;
    const { start: _start, ...undated } = contact;
    expect(told(apply(delivered(telling()), untimed))).toEqual([]);
    expect(told(apply(delivered(telling()), undated))).toEqual([]);
  });
});

describe('delivery', () => {
  test('in order; a failure keeps the message for its retry on the backoff, the next ones go on', () => {
    const state = apply(telling(), contact);
    const [assigned, recorded] = state.specialistOutbox!;
    const failed = withSpecialistUntold(state, assigned!, { status: 0, code: 'failed' }, now);
    expect(untoldMessages(failed)).toHaveLength(1);
    expect(nextSpecialistMessage(failed, now)).toEqual(recorded);
    expect(nextSpecialistMessage(failed, now + 60_000)?.event.type).toBe('episode-assigned');
    expect(nextWakeUp(withSpecialistTold(failed, recorded!), now)).toMatchObject({ at: now + 60_000 });
    const twice = withSpecialistUntold(failed, assigned!, { status: 0, code: 'failed' }, now + 60_000);
    expect(twice.specialistOutbox?.[0]?.failure).toMatchObject({ attempts: 2, since: now, retryAt: now + 60_000 + 120_000 });
    expect(withSpecialistTold(twice, assigned!).specialistOutbox).toEqual([recorded]);
  });
  test('continue-as-new carries what is not delivered', () => {
    const state = apply(telling(), contact);
    expect(carryOver(state, now).specialistOutbox).toEqual(state.specialistOutbox);
  });
  test("the recipient's workflow starts with the episode's supervisor, agency and policy", () => {
    const state = telling();
    expect(specialistInputOf(state, 'Practitioner/s2')).toEqual({
      specialist: 'Practitioner/s2',
      supervisor: 'Practitioner/supervisor-1',
      agency: 'Organization/agency-1',
      policy: state.config.policy,
    });
  });
});
