import type { Encounter } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { TRAVEL_TIME_EXTENSION, UCUM } from '../vocabulary.ts';
import { contactMinutesOf, minutesOfDuration, practitionerOf, travelMinutesOf } from './contact-time.ts';

const encounter = (fields: Partial<Encounter>): Encounter => ({ resourceType: 'Encounter', status: 'finished', class: { code: 'HH' }, ...fields });

describe('minutesOfDuration', () => {
  test.each([
    [{ value: 45, unit: 'min', system: UCUM, code: 'min' }, 45],
    [{ value: 1.5, system: UCUM, code: 'h' }, 90],
    [{ value: 30, code: 'min' }, 30],
    [{ value: 30, system: UCUM, code: 's' }, undefined],
    [{ value: 30, system: 'http://example.org/units', code: 'min' }, undefined],
    [{ value: -5, system: UCUM, code: 'min' }, undefined],
    [{ value: 25, system: UCUM, code: 'h' }, undefined],
    [{ system: UCUM, code: 'min' }, undefined],
    [undefined, undefined],
  ])('%j → %s', (duration, minutes) => {
    expect(minutesOfDuration(duration)).toBe(minutes);
  });
});

describe('contactMinutesOf', () => {
  const period = { start: '2026-03-02T14:00:00Z', end: '2026-03-02T15:15:00Z' };
  test('Encounter.length wins over the period', () => {
    expect(contactMinutesOf(encounter({ period, length: { value: 1, system: UCUM, code: 'h' } }))).toBe(60);
  });
  test('else the period, across offsets', () => {
    expect(contactMinutesOf(encounter({ period }))).toBe(75);
    expect(contactMinutesOf(encounter({ period: { start: '2026-03-02T08:00:00-06:00', end: '2026-03-02T14:30:00Z' } }))).toBe(30);
  });
  test('a length in another unit falls back to the period', () => {
    expect(contactMinutesOf(encounter({ period, length: { value: 3, system: UCUM, code: 'd' } }))).toBe(75);
  });
  test('no time without both ends, a date-only period or an end before the start', () => {
    expect(contactMinutesOf(encounter({ period: { start: period.start } }))).toBeUndefined();
    expect(contactMinutesOf(encounter({ period: { start: '2026-03-02', end: '2026-03-02' } }))).toBeUndefined();
    expect(contactMinutesOf(encounter({ period: { start: period.end, end: period.start } }))).toBeUndefined();
    expect(contactMinutesOf(encounter({}))).toBeUndefined();
  });
});

describe('travelMinutesOf', () => {
  test('the extension in minutes or hours; 0 when absent or unreadable', () => {
    expect(travelMinutesOf(encounter({ extension: [{ url: TRAVEL_TIME_EXTENSION, valueDuration: { value: 20, system: UCUM, code: 'min' } }] }))).toBe(20);
    expect(travelMinutesOf(encounter({ extension: [{ url: TRAVEL_TIME_EXTENSION, valueDuration: { value: 0.5, system: UCUM, code: 'h' } }] }))).toBe(30);
    expect(travelMinutesOf(encounter({ extension: [{ url: 'http://example.org/other', valueDuration: { value: 20, system: UCUM, code: 'min' } }] }))).toBe(0);
    expect(travelMinutesOf(encounter({ extension: [{ url: TRAVEL_TIME_EXTENSION, valueDuration: { value: 20, system: UCUM, code: 'km' } }] }))).toBe(0);
    expect(travelMinutesOf(encounter({}))).toBe(0);
  });
});

describe('practitionerOf', () => {
  test('the first participant that is a Practitioner', () => {
    const participant = [
      { individual: { reference: 'RelatedPerson/r1' } },
      { individual: { reference: 'https://ehr.example.org/fhir/Practitioner/s2' } },
      { individual: { reference: 'Practitioner/s3' } },
    ];
    expect(practitionerOf(encounter({ participant }))).toBe('Practitioner/s2');
    expect(practitionerOf(encounter({ participant: [{ individual: { reference: 'PractitionerRole/pr1' } }] }))).toBeUndefined();
    expect(practitionerOf(encounter({}))).toBeUndefined();
  });
});
