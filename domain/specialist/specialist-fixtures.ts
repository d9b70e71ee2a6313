/** States and events for the specialist's unit tests (ids and numbers only). */
import type { AgencyPolicy } from '../rules/index.ts';
import type { SpecialistEvent } from './events.ts';
import { initialSpecialistState } from './initial-state.ts';
import type { SpecialistState } from './state.ts';
import { applySpecialistEvent } from './apply-event.ts';

export const SUPERVISOR = 'Practitioner/sup1';
/** Mon 2026-11-02 noon in Chicago. */
export const START = Date.parse('2026-11-02T18:00:00Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function specialistState(policy: Partial<AgencyPolicy> = {}, now = START): SpecialistState {
  return initialSpecialistState({ specialist: 'Practitioner/s1', supervisor: SUPERVISOR, agency: 'Organization/a1', policy }, now);
}

export const assignedEvent = (episode: string, levelOfCare: string[] = [], version = 1): SpecialistEvent => ({
  type: 'episode-assigned',
  eventId: `EpisodeOfCare/${episode}/_history/${version}`,
  episodeOfCare: `EpisodeOfCare/${episode}`,
  levelOfCare,
  supervisor: SUPERVISOR,
  at: new Date(START).toISOString(),
});

export const releasedEvent = (episode: string): SpecialistEvent => ({
  type: 'episode-released',
  eventId: `EpisodeOfCare/${episode}/_history/9`,
  episodeOfCare: `EpisodeOfCare/${episode}`,
  reason: 'discharged',
  at: new Date(START).toISOString(),
});

export const contactEvent = (encounter: string, start: number, minutes: number, extra: Partial<Extract<SpecialistEvent, { type: 'contact-recorded' }>> = {}): SpecialistEvent => ({
  type: 'contact-recorded',
  eventId: `Encounter/${encounter}/_history/${extra.sourceUpdatedAt ?? 1}`,
  encounterId: encounter,
  kind: 'face-to-face',
  start: new Date(start).toISOString(),
  minutes,
  travelMinutes: 0,
  ...extra,
});

export function applyAll(state: SpecialistState, events: SpecialistEvent[], now = START): SpecialistState {
  return events.reduce((current, event) => applySpecialistEvent(current, event, now), state);
}

export function withEpisodes(state: SpecialistState, count: number, prefix = 'e'): SpecialistState {
  return applyAll(state, Array.from({ length: count }, (_, n) => assignedEvent(`${prefix}${n + 1}`)));
}
