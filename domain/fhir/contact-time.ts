/**
 * A contact Encounter's time, for CONTACT-HOURS: how long it took (`Encounter.length`, else its
 * `period`), the travel that went with it (the `travel-time` extension), and whose time it was (its
 * first Practitioner participant). Pure: no I/O.
 */
import type { Duration, Encounter } from '@medplum/fhirtypes';
import { TRAVEL_TIME_EXTENSION, UCUM } from '../vocabulary.ts';
import { isoInstant } from './fhir-dates.ts';
import { relativeReference } from './references.ts';

const MINUTES_PER_UNIT: Readonly<Record<string, number>> = { min: 1, h: 60 };
/** A contact or its travel longer than a day is a data error, not time worked. */
const MAX_MINUTES = 24 * 60;

/** A UCUM `min` or `h` Duration in whole and fractional minutes; undefined for other units, negative or absurd values. */
export function minutesOfDuration(duration: Duration | undefined): number | undefined {
  if (!duration || (duration.system !== undefined && duration.system !== UCUM)) return undefined;
  const perUnit = MINUTES_PER_UNIT[duration.code ?? ''];
  const value = duration.value;
  if (perUnit === undefined || typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  const minutes = value * perUnit;
  return minutes <= MAX_MINUTES ? minutes : undefined;
}

/** `Encounter.length`, else `period.end − period.start`, in minutes; undefined without either. */
export function contactMinutesOf(encounter: Encounter): number | undefined {
  const length = minutesOfDuration(encounter.length);
  if (length !== undefined) return length;
  const start = isoInstant(encounter.period?.start);
  const end = isoInstant(encounter.period?.end);
  if (!start || !end) return undefined;
  const minutes = (Date.parse(end) - Date.parse(start)) / 60_000;
  return minutes >= 0 && minutes <= MAX_MINUTES ? minutes : undefined;
}

/** The `travel-time` extension's minutes; 0 when it is absent or unreadable. */
export function travelMinutesOf(encounter: Encounter): number {
  const extension = encounter.extension?.find((candidate) => candidate.url === TRAVEL_TIME_EXTENSION);
  return minutesOfDuration(extension?.valueDuration) ?? 0;
}

/** The first `participant.individual` that is a Practitioner: whose contact hours these are. */
export function practitionerOf(encounter: Encounter): string | undefined {
  return encounter.participant?.map((participant) => relativeReference(participant.individual, 'Practitioner')).find(Boolean);
}
