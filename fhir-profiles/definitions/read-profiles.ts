/**
 * Profiles of what the workflows read: the program episode, the treatment plan, contacts and
 * hospital stays. They say which elements carry which event, so an EHR can map its own data.
 */
import { CONTACT_CLASS_VALUE_SET, CONTACT_ENCOUNTER_PROFILE, CONTACT_KIND_SYSTEM, EPISODE_OF_CARE_PROFILE, HOSPITAL_STAY_CLASS_VALUE_SET, HOSPITAL_STAY_PROFILE, TRAVEL_TIME_EXTENSION, UCUM } from '../../domain/vocabulary.ts';
import { element, invariant, profile, referenceTo, required } from './structure.ts';

export const programEpisodeProfile = profile({
  id: 'program-episode',
  type: 'EpisodeOfCare',
  title: 'Community support program episode',
  description:
    "One client's stay in the community support program. Admission is period.start; program discharge is status finished with period.end; careManager is the client's community support specialist. One workflow runs per episode.",
  elements: [
    element('EpisodeOfCare', {
      constraint: [
        invariant(EPISODE_OF_CARE_PROFILE, 'pep-1', 'A finished episode has its program discharge date in EpisodeOfCare.period.end', "status = 'finished' implies period.end.exists()"),
      ],
    }),
    element('EpisodeOfCare.status', { mustSupport: true, short: 'active while in the program; finished at program discharge' }),
    element('EpisodeOfCare.patient', { mustSupport: true }),
    element('EpisodeOfCare.managingOrganization', { min: 1, mustSupport: true, short: 'The agency' }),
    element('EpisodeOfCare.period', { min: 1, mustSupport: true }),
    element('EpisodeOfCare.period.start', { min: 1, short: 'Admission to the program' }),
    element('EpisodeOfCare.period.end', { short: 'Program discharge' }),
    element('EpisodeOfCare.careManager', {
      min: 1,
      type: referenceTo('Practitioner'),
      mustSupport: true,
      short: "The client's community support specialist (owner of the requirement Tasks)",
    }),
  ],
});

export const treatmentPlanProfile = profile({
  id: 'treatment-plan',
  type: 'CarePlan',
  title: "Client's treatment plan",
  description:
    "The client's individual treatment plan (job description 2.B, 2.C), whose domains, goals and objectives the sessions work on. Requirement Tasks are basedOn it.",
  elements: [
    element('CarePlan.status', { mustSupport: true }),
    element('CarePlan.intent', { fixedCode: 'plan' }),
    element('CarePlan.subject', { type: referenceTo('Patient'), mustSupport: true }),
    element('CarePlan.period', { mustSupport: true }),
    element('CarePlan.goal', { mustSupport: true, short: 'The goals and objectives sessions work on' }),
    element('CarePlan.supportingInfo', { mustSupport: true, short: 'The EpisodeOfCare this plan belongs to' }),
  ],
});

export const contactEncounterProfile = profile({
  id: 'contact-encounter',
  type: 'Encounter',
  title: 'Community support contact',
  description: [
    'A contact with or about the client. Encounter.class says where it happened (v3 ActCode AMB, HH or FLD: in person;',
    'VR: virtual, never face-to-face). Encounter.type carries the contact kind from the contact-kind CodeSystem',
    '(face-to-face, collateral, crisis, treatment-team), which decides the note that is due.',
    'A finished in-person contact with the client meets the post-hospital contact requirement.',
    "Its time (Encounter.length, else its period) and its travel time (extension travel-time) count towards the specialist's",
    'weekly contact hours (Encounter.participant, else the episode’s specialist).',
  ].join(' '),
  elements: [
    element('Encounter', {
      constraint: [
        invariant(
          CONTACT_ENCOUNTER_PROFILE,
          'cce-1',
          `A contact has an Encounter.type coding from ${CONTACT_KIND_SYSTEM}`,
          `type.coding.where(system = '${CONTACT_KIND_SYSTEM}').exists()`
        ),
        invariant(
          CONTACT_ENCOUNTER_PROFILE,
          'cce-2',
          'Travel time (extension travel-time) is one Duration in UCUM min or h, not negative',
          `extension.where(url = '${TRAVEL_TIME_EXTENSION}').all(value.ofType(Duration).exists() and value.system = '${UCUM}' and (value.code = 'min' or value.code = 'h') and value.value >= 0)`
        ),
      ],
    }),
    element('Encounter.extension', { slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' } }),
    element('Encounter.extension:travelTime', {
      min: 0,
      max: '1',
      type: [{ code: 'Extension', profile: [TRAVEL_TIME_EXTENSION] }],
      mustSupport: true,
      short: "The specialist's travel time for the contact (counts as contact time)",
    }),
    element('Encounter.status', { mustSupport: true, short: 'finished once the contact took place' }),
    element('Encounter.class', { binding: required(CONTACT_CLASS_VALUE_SET), mustSupport: true }),
    element('Encounter.type', { min: 1, mustSupport: true }),
    element('Encounter.subject', { min: 1, type: referenceTo('Patient'), mustSupport: true }),
    element('Encounter.episodeOfCare', { mustSupport: true, short: 'The program episode (when the EHR knows it)' }),
    element('Encounter.participant', { mustSupport: true, short: 'The specialist; for collateral contacts, who was contacted' }),
    element('Encounter.period', { min: 1, mustSupport: true }),
    element('Encounter.period.start', { min: 1, short: 'When the contact started (the note falls due from here)' }),
    element('Encounter.length', { mustSupport: true, short: 'Time spent with or about the client (else the period counts)' }),
  ],
});

export const hospitalStayProfile = profile({
  id: 'hospital-stay',
  type: 'Encounter',
  title: 'Hospital stay',
  description:
    'An inpatient hospital stay of the client (Encounter.class v3 ActCode IMP, ACUTE or NONAC). period.start is the hospital admission (opens HOSPITAL-CONTACT); period.end with status finished is the release (opens POST-HOSPITAL-CONTACT, due 5 business days later).',
  elements: [
    element('Encounter', {
      constraint: [
        invariant(
          HOSPITAL_STAY_PROFILE,
          'hst-1',
          'A finished hospital stay has its release date in Encounter.period.end',
          "status = 'finished' implies period.end.exists()"
        ),
      ],
    }),
    element('Encounter.status', { mustSupport: true }),
    element('Encounter.class', { binding: required(HOSPITAL_STAY_CLASS_VALUE_SET), mustSupport: true }),
    element('Encounter.subject', { min: 1, type: referenceTo('Patient'), mustSupport: true }),
    element('Encounter.period', { min: 1, mustSupport: true }),
    element('Encounter.period.start', { min: 1, short: 'Hospital admission' }),
    element('Encounter.period.end', { short: 'Release from the hospital' }),
    element('Encounter.serviceProvider', { mustSupport: true, short: 'The hospital' }),
  ],
});

export const readProfiles = [programEpisodeProfile, treatmentPlanProfile, contactEncounterProfile, hospitalStayProfile];
