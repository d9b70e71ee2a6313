/** The package's Measures: what the specialist's weekly MeasureReports report on. */
import type { Measure, MeasureGroupPopulation } from '@medplum/fhirtypes';
import { CONTACT_HOURS_GROUP_SYSTEM, CONTACT_HOURS_MEASURE, CONTACT_KIND_SYSTEM, MEASURE_POPULATION_SYSTEM, TRAVEL_TIME_EXTENSION } from '../../domain/vocabulary.ts';
import { defaultAgencyPolicy } from '../../domain/rules/index.ts';
import { SPECIALIST_RULES } from '../../domain/specialist/specialist-rules.ts';
import { canonicalHeader } from './terminology.ts';

/** A population; the workflow computes it (the FHIRPath says what it reads, the description how it counts). */
function population(code: string, description: string, expression: string): MeasureGroupPopulation {
  return { code: { coding: [{ system: MEASURE_POPULATION_SYSTEM, code }] }, description, criteria: { language: 'text/fhirpath', expression } };
}

export const contactHoursMeasure: Measure = {
  resourceType: 'Measure',
  ...canonicalHeader(
    'contact-hours',
    CONTACT_HOURS_MEASURE,
    'Weekly contact hours of a community support specialist',
    `${SPECIALIST_RULES['CONTACT-HOURS'].definition} One individual MeasureReport per specialist and week (Monday to Sunday in the agency's zone).`
  ),
  subjectCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/resource-types', code: 'Practitioner' }] },
  scoring: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-scoring', code: 'continuous-variable' }] },
  type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-type', code: 'process' }] }],
  improvementNotation: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-improvement-notation', code: 'increase' }] },
  group: [
    {
      code: { coding: [{ system: CONTACT_HOURS_GROUP_SYSTEM, code: 'contact-hours' }] },
      description:
        "The week's finished contacts of the counted kinds (agency setting; default face-to-face, collateral and crisis, not treatment-team meetings) whose participant is the specialist, else whose episode's specialist it was; each counts Encounter.length (else its period) plus its travel-time extension.",
      population: [
        population(
          'measure-population',
          "The week's finished contact Encounters of a counted kind (default kinds shown), by period.start",
          `Encounter.where(status = 'finished' and type.coding.where(system = '${CONTACT_KIND_SYSTEM}' and (${defaultAgencyPolicy.contactHours.countedKinds.map((kind) => `code = '${kind}'`).join(' or ')})).exists())`
        ),
        population(
          'measure-observation',
          "Each contact's time: Encounter.length, else the length of its period, plus its travel-time extension; summed, in hours",
          `Encounter.length | Encounter.extension('${TRAVEL_TIME_EXTENSION}').value`
        ),
      ],
    },
    {
      code: { coding: [{ system: CONTACT_HOURS_GROUP_SYSTEM, code: 'target-hours' }] },
      description: "The week's target: the agency's weekly target (default 25 h) × the week's business days / 5 (Thanksgiving week: 20 h).",
    },
  ],
};

export const measures = [contactHoursMeasure];
