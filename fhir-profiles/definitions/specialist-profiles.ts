/**
 * What the specialist's workflow writes and reads beyond the episodes' Tasks: the supervisor's Task
 * when a specialist's caseload or contact hours are off (CASELOAD, CONTACT-HOURS), the weekly
 * contact-hours MeasureReport, and the travel time that goes with a contact.
 */
import {
  CARE_TEAM_ROLE_VALUE_SET,
  CONTACT_HOURS_MEASURE,
  CONTACT_HOURS_REPORT_IDENTIFIER_SYSTEM,
  CONTACT_HOURS_REPORT_PROFILE,
  SPECIALIST_REQUIREMENT_VALUE_SET,
  SPECIALIST_TASK_IDENTIFIER_SYSTEM,
  SPECIALIST_TASK_PROFILE,
  SPECIALIST_TASK_STATUS_SYSTEM,
  SPECIALIST_TASK_STATUS_VALUE_SET,
  SPECIALIST_REQUIREMENT_CODES,
  TASK_STATE_VALUE_SET,
  TRAVEL_TIME_EXTENSION,
  UCUM,
} from '../../domain/vocabulary.ts';
import { FHIR_ID } from '../../domain/fhir/ids.ts';
import { canonicalHeader } from './terminology.ts';
import { element, invariant, profile, referenceTo, required } from './structure.ts';
import type { StructureDefinition } from '@medplum/fhirtypes';

const hasBusinessStatus = (...codes: string[]): string =>
  `businessStatus.coding.where(system = '${SPECIALIST_TASK_STATUS_SYSTEM}' and (${codes.map((c) => `code = '${c}'`).join(' or ')})).exists()`;

export const specialistTaskProfile = profile({
  id: 'specialist-task',
  type: 'Task',
  title: 'Specialist requirement Task',
  description: [
    "A standard that one community support specialist keeps across their client episodes is not kept: the caseload is past",
    'the cap (CASELOAD) or the rolling average of weekly contact hours is below its target (CONTACT-HOURS). Owned by the',
    'supervisor, for the specialist (Task.for). It completes itself when the standard is kept again (business status',
    'back-within); a supervisor who completes a CASELOAD Task approves the caseload until it next changes (approved).',
  ].join(' '),
  elements: [
    element('Task', {
      constraint: [
        invariant(
          SPECIALIST_TASK_PROFILE,
          'spt-1',
          'An open specialist Task is over-cap or below-target; a completed one is back-within or approved',
          `(status = 'ready' implies ${hasBusinessStatus('over-cap', 'below-target')}) and (status = 'completed' implies ${hasBusinessStatus('back-within', 'approved')})`
        ),
      ],
    }),
    element('Task.identifier', {
      min: 1,
      mustSupport: true,
      constraint: [
        invariant(
          SPECIALIST_TASK_PROFILE,
          'spt-2',
          `The specialist key (system ${SPECIALIST_TASK_IDENTIFIER_SYSTEM}) is <Practitioner id>/<code>/<n>`,
          `system = '${SPECIALIST_TASK_IDENTIFIER_SYSTEM}' implies value.matches('^${FHIR_ID}/(${SPECIALIST_REQUIREMENT_CODES.join('|')})/[0-9]{1,9}$')`
        ),
      ],
    }),
    element('Task.status', { binding: required(TASK_STATE_VALUE_SET), short: 'ready | completed (| cancelled, in-progress in the EHR)' }),
    element('Task.businessStatus', { min: 1, binding: required(SPECIALIST_TASK_STATUS_VALUE_SET), mustSupport: true }),
    element('Task.intent', { fixedCode: 'order' }),
    element('Task.code', { min: 1, binding: required(SPECIALIST_REQUIREMENT_VALUE_SET), mustSupport: true }),
    element('Task.description', { min: 1, mustSupport: true, short: 'A plain sentence with the figures, e.g. "… carries 31 clients, cap 30: reassign or approve"' }),
    element('Task.focus', {
      type: referenceTo('EpisodeOfCare', 'MeasureReport'),
      mustSupport: true,
      short: 'CASELOAD: the EpisodeOfCare whose assignment crossed the cap; CONTACT-HOURS: the latest week’s MeasureReport',
    }),
    element('Task.for', { min: 1, type: referenceTo('Practitioner', 'PractitionerRole'), mustSupport: true, short: 'The specialist' }),
    element('Task.executionPeriod.end', { short: 'When it was completed (back within, or approved)' }),
    element('Task.authoredOn', { min: 1, mustSupport: true }),
    element('Task.requester', { min: 1, type: referenceTo('Organization'), mustSupport: true, short: 'The agency' }),
    element('Task.performerType', { min: 1, max: '1', binding: required(CARE_TEAM_ROLE_VALUE_SET), mustSupport: true }),
    element('Task.owner', { min: 1, type: referenceTo('Practitioner', 'PractitionerRole'), mustSupport: true, short: "The specialist's supervisor" }),
  ],
});

export const contactHoursReportProfile = profile({
  id: 'contact-hours-report',
  type: 'MeasureReport',
  title: 'Weekly contact hours of a specialist',
  description: [
    `An individual report of the measure ${CONTACT_HOURS_MEASURE} for one specialist (subject) and one week, Monday 00:00 to`,
    "the end of Sunday in the agency's zone (period). Group contact-hours: the week's counted contacts (population",
    'measure-population) and their time with travel, in hours (measureScore, UCUM h); group target-hours: the week’s target.',
    'Its identifier <Practitioner id>/<ISO week> is stable: a late contact rewrites the same report.',
  ].join(' '),
  elements: [
    element('MeasureReport.identifier', {
      min: 1,
      mustSupport: true,
      constraint: [
        invariant(
          CONTACT_HOURS_REPORT_PROFILE,
          'chr-1',
          `The report key (system ${CONTACT_HOURS_REPORT_IDENTIFIER_SYSTEM}) is <Practitioner id>/<ISO week>`,
          `system = '${CONTACT_HOURS_REPORT_IDENTIFIER_SYSTEM}' implies value.matches('^${FHIR_ID}/[0-9]{4}-W[0-9]{2}$')`
        ),
      ],
    }),
    element('MeasureReport.type', { fixedCode: 'individual' }),
    element('MeasureReport.measure', { fixedCanonical: CONTACT_HOURS_MEASURE }),
    element('MeasureReport.subject', { min: 1, type: referenceTo('Practitioner', 'PractitionerRole'), mustSupport: true, short: 'The specialist' }),
    element('MeasureReport.reporter', { min: 1, type: referenceTo('Organization'), mustSupport: true, short: 'The agency' }),
    element('MeasureReport.period.start', { min: 1, short: "Monday 00:00 in the agency's zone" }),
    element('MeasureReport.period.end', { min: 1, short: "The end of Sunday in the agency's zone" }),
    element('MeasureReport.group', { min: 2, max: '2', mustSupport: true }),
    element('MeasureReport.group.code', { min: 1 }),
    element('MeasureReport.group.measureScore', { min: 1, short: 'Hours (UCUM h)' }),
  ],
});

/** An extension definition on Encounter, built like the profiles (differential; the build adds the snapshot). */
export const travelTimeExtension: StructureDefinition = {
  resourceType: 'StructureDefinition',
  ...canonicalHeader(
    'travel-time',
    TRAVEL_TIME_EXTENSION,
    'Travel time of a contact',
    "The specialist's travel time that went with a community support contact (job description §5 counts it as contact time). On the contact Encounter, as a Duration in UCUM min or h; it counts with the contact towards the week's contact hours."
  ),
  fhirVersion: '4.0.1',
  kind: 'complex-type',
  abstract: false,
  context: [{ type: 'element', expression: 'Encounter' }],
  type: 'Extension',
  baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
  derivation: 'constraint',
  differential: {
    element: [
      element('Extension', { short: 'Travel time of the contact', max: '1' }),
      element('Extension.extension', { max: '0' }),
      element('Extension.url', { fixedUri: TRAVEL_TIME_EXTENSION }),
      element('Extension.value[x]', {
        min: 1,
        type: [{ code: 'Duration' }],
        constraint: [invariant(TRAVEL_TIME_EXTENSION, 'trt-1', 'Travel time is in UCUM min or h, not negative', `system = '${UCUM}' and (code = 'min' or code = 'h') and value >= 0`)],
      }),
    ],
  },
};

export const specialistProfiles = [specialistTaskProfile, contactHoursReportProfile, travelTimeExtension];
