import type { Encounter } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { contactKindCoding, contactKindOf, isFinishedFaceToFace, isHospitalStay } from './contact-codes.ts';

const ACT = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const encounter = (code: string, extra: Partial<Encounter> = {}): Encounter => ({
  resourceType: 'Encounter',
  status: 'finished',
  class: { system: ACT, code },
  ...extra,
});

describe('contact codes', () => {
  test('inpatient classes are hospital stays; an emergency visit is not', () => {
    expect(['IMP', 'ACUTE', 'NONAC'].map((c) => isHospitalStay(encounter(c)))).toEqual([true, true, true]);
    expect(isHospitalStay(encounter('EMER'))).toBe(false);
    expect(isHospitalStay({ ...encounter('IMP'), class: { system: 'urn:other', code: 'IMP' } })).toBe(false);
  });

  test('the contact-kind coding decides the kind; an uncoded in-person contact is face-to-face', () => {
    expect(contactKindOf(encounter('HH', { type: [{ coding: [contactKindCoding('collateral')] }] }))).toBe('collateral');
    expect(contactKindOf(encounter('VR', { type: [{ coding: [contactKindCoding('treatment-team')] }] }))).toBe('treatment-team');
    expect(contactKindOf(encounter('FLD'))).toBe('face-to-face');
    expect(contactKindOf(encounter('VR'))).toBeUndefined();
    expect(contactKindOf(encounter('IMP'))).toBeUndefined();
  });

  test('only a finished in-person contact with the client meets the post-hospital contact', () => {
    expect(isFinishedFaceToFace(encounter('HH'))).toBe(true);
    expect(isFinishedFaceToFace(encounter('AMB', { type: [{ coding: [contactKindCoding('crisis')] }] }))).toBe(true);
    expect(isFinishedFaceToFace(encounter('VR', { type: [{ coding: [contactKindCoding('face-to-face')] }] }))).toBe(false);
    expect(isFinishedFaceToFace(encounter('HH', { type: [{ coding: [contactKindCoding('collateral')] }] }))).toBe(false);
    expect(isFinishedFaceToFace(encounter('HH', { status: 'planned' }))).toBe(false);
  });
});
