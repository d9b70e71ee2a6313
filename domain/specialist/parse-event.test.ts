import { expect, test } from 'vitest';
import { parseSpecialistEvent } from './parse-event.ts';

const assigned = { type: 'episode-assigned', eventId: 'EpisodeOfCare/e1/_history/1', episodeOfCare: 'EpisodeOfCare/e1', levelOfCare: ['rehab'], supervisor: 'Practitioner/sup1', at: '2026-11-02T18:00:00Z' };
const contact = { type: 'contact-recorded', eventId: 'Encounter/c1/_history/1', encounterId: 'c1', kind: 'collateral', start: '2026-11-02T18:00:00-06:00', minutes: 50 };

test('well-formed events come back as they are (travel time 0 when absent)', () => {
  expect(parseSpecialistEvent(assigned)).toEqual(assigned);
  expect(parseSpecialistEvent(contact)).toEqual({ ...contact, travelMinutes: 0 });
  const changed = { type: 'task-changed', eventId: 'Task/t1/_history/2', taskId: 't1', status: 'completed', owner: 'Practitioner/sup1', at: '2026-11-03T18:00:00Z' };
  expect(parseSpecialistEvent(changed)).toEqual(changed);
});

test.each([
  [null, '(event): not an object'],
  [{ ...assigned, type: 'nope' }, 'type: not a specialist event type'],
  [{ ...assigned, eventId: '' }, 'eventId: not a string'],
  [{ ...assigned, episodeOfCare: 'Patient/p1' }, 'episodeOfCare: not in the expected form'],
  [{ ...assigned, levelOfCare: [1] }, 'levelOfCare: not a list of codes'],
  [{ ...assigned, at: '2026-11-02' }, 'at: not an instant'],
  [{ ...contact, minutes: -5 }, 'minutes: not a number of minutes'],
  [{ ...contact, kind: 'travel' }, 'kind: not one of'],
  [{ ...contact, travelMinutes: 'x' }, 'travelMinutes: not a number of minutes'],
  [{ type: 'episode-released', eventId: 'x', episodeOfCare: 'EpisodeOfCare/e1', reason: 'moved', at: '2026-11-02T18:00:00Z' }, 'reason: not one of'],
])('%j is refused: %s (the path, never the value)', (payload, message) => {
  expect(() => parseSpecialistEvent(payload)).toThrow(`specialist event: ${message}`);
});
