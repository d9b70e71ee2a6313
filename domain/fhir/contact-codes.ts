/**
 * Which Encounters are hospital stays and which kind of contact an Encounter is: the codes of the
 * `hospital-stay` and `contact-encounter` profiles, for the event mapping. Pure: no I/O.
 */
import type { Coding, Encounter } from '@medplum/fhirtypes';
import { CONTACT_KINDS, CONTACT_KIND_SYSTEM, type ContactKind } from '../vocabulary.ts';
import { V3_ACT_CODE } from '../vocabulary.ts';

/** Encounter.class (v3 ActCode) of an inpatient hospital stay: IMP and its specializations. */
export const HOSPITAL_STAY_CLASSES = ['IMP', 'ACUTE', 'NONAC'] as const;
/** Encounter.class (v3 ActCode) of a contact in person: at the agency, at home, in the community. */
export const IN_PERSON_CLASSES = ['AMB', 'HH', 'FLD'] as const;
/** Encounter.class (v3 ActCode) of a virtual contact: never face-to-face. */
export const VIRTUAL_CLASS = 'VR';

/** The Encounter.type coding that marks a contact kind. */
export function contactKindCoding(kind: ContactKind): Coding {
  return { system: CONTACT_KIND_SYSTEM, code: kind };
}

/** Whether the Encounter is an inpatient hospital stay (class IMP, ACUTE or NONAC). */
export function isHospitalStay(encounter: Encounter): boolean {
  return hasActCode(encounter.class, HOSPITAL_STAY_CLASSES);
}

/** Whether the contact happened in person (class AMB, HH or FLD). */
export function isInPerson(encounter: Encounter): boolean {
  return hasActCode(encounter.class, IN_PERSON_CLASSES);
}

/**
 * The kind of contact, which decides the note that is due: the contact-kind coding in
 * Encounter.type when there is one; otherwise an in-person contact that is not a hospital stay
 * is face-to-face. Undefined when the Encounter is not a contact we know (e.g. virtual without a kind).
 */
export function contactKindOf(encounter: Encounter): ContactKind | undefined {
  const coded = encounter.type
    ?.flatMap((type) => type.coding ?? [])
    .find((coding) => coding.system === CONTACT_KIND_SYSTEM && isContactKind(coding.code));
  if (coded) {
    return coded.code as ContactKind;
  }
  return isInPerson(encounter) ? 'face-to-face' : undefined;
}

/**
 * Whether the Encounter is a finished face-to-face contact with the client, which meets
 * POST-HOSPITAL-CONTACT: in person, and with the client (face-to-face or crisis), not about them.
 */
export function isFinishedFaceToFace(encounter: Encounter): boolean {
  const kind = contactKindOf(encounter);
  return encounter.status === 'finished' && isInPerson(encounter) && (kind === 'face-to-face' || kind === 'crisis');
}

function isContactKind(code: string | undefined): code is ContactKind {
  return (CONTACT_KINDS as readonly string[]).includes(code ?? '');
}

function hasActCode(coding: Coding | undefined, codes: readonly string[]): boolean {
  return coding?.system === V3_ACT_CODE && codes.includes(coding.code ?? '');
}
