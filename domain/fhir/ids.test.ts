import { describe, expect, test } from 'vitest';
import { FHIR_ID_PATTERN, idOf, referencePattern } from './ids.ts';

describe('FHIR logical ids', () => {
  test('1 to 64 letters, digits, "-" and "."', () => {
    for (const id of ['a', 'e1', 'A-1.b', 'x'.repeat(64)]) expect(FHIR_ID_PATTERN.test(id)).toBe(true);
    for (const id of ['', 'x'.repeat(65), 'a_b', 'a/b', 'a b', 'é']) expect(FHIR_ID_PATTERN.test(id)).toBe(false);
  });

  test('references of the types given, whole strings only', () => {
    const practitioner = referencePattern('Practitioner|PractitionerRole');
    expect(practitioner.test('Practitioner/s1')).toBe(true);
    expect(practitioner.test('PractitionerRole/r-1')).toBe(true);
    expect(practitioner.test('Patient/p1')).toBe(false);
    expect(practitioner.test('xPractitioner/s1')).toBe(false);
    expect(practitioner.test('Practitioner/s1/_history/2')).toBe(false);
  });

  test('the id of a relative reference', () => {
    expect(idOf('EpisodeOfCare/e1')).toBe('e1');
    expect(idOf('Encounter/a.b-1')).toBe('a.b-1');
  });
});
