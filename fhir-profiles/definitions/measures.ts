/** The package's Measures: what the specialist's weekly MeasureReports report on. */
import type { Measure, MeasureGroupPopulation } from '@medplum/fhirtypes';
import {
  CONTACT_HOURS_GROUP_SYSTEM,
  CONTACT_HOURS_MEASURE,
  CONTACT_KIND_SYSTEM,
  MEASURE_POPULATION_SYSTEM,
  REQUIREMENT_SYSTEM,
  REQUIREMENT_TASK_PROFILE,
  TASK_STATUS_SYSTEM,
  TIMELINESS_MEASURE,
  TIMELINESS_POPULATION_SYSTEM,
  TIMELINESS_STRATIFIER_SYSTEM,
  TRAVEL_TIME_EXTENSION,
} from '../../domain/vocabulary.ts';
import { defaultAgencyPolicy } from '../../domain/rules/index.ts';
import { SPECIALIST_RULES } from '../../domain/specialist/specialist-rules.ts';
import { canonicalHeader } from './terminology.ts';

/** A population; the workflow computes it (the FHIRPath says what it reads, the description how it counts). */
function population(code: string, description: string, expression: string, system = MEASURE_POPULATION_SYSTEM): MeasureGroupPopulation {
  return { code: { coding: [{ system, code }] }, description, criteria: { language: 'text/fhirpath', expression } };
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

const businessStatusIs = (...codes: string[]) => `businessStatus.coding.where(system = '${TASK_STATUS_SYSTEM}' and (${codes.map((code) => `code = '${code}'`).join(' or ')})).exists()`;
/** The due instant: the last millisecond of the due day in the agency's zone, as the worker writes it. */
const DUE = 'restriction.period.end';

export const timelinessMeasure: Measure = {
  resourceType: 'Measure',
  ...canonicalHeader(
    'timely-documentation',
    TIMELINESS_MEASURE,
    'On-time documentation rate',
    "Of the requirement Tasks due in the period (a calendar month in the agency's time zone), the share met on or before their due date, by requirement and by specialist, and for the agency. A Task's due date is the agency's local day of Task.restriction.period.end. One summary MeasureReport per month (reporter the agency), one individual MeasureReport per specialist (subject the Practitioner), and a List of the Tasks met late or unmet beside each."
  ),
  subjectCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/resource-types', code: 'Task' }] },
  scoring: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-scoring', code: 'proportion' }] },
  type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-type', code: 'process' }] }],
  improvementNotation: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-improvement-notation', code: 'increase' }] },
  group: [
    {
      description: 'Requirement Tasks due in the period, met on time.',
      population: [
        population(
          'initial-population',
          'Requirement Tasks (profile requirement-task, a code of the documentation-requirement CodeSystem other than ESCALATION) whose due date falls in the period',
          `Task.where(meta.profile contains '${REQUIREMENT_TASK_PROFILE}' and code.coding.where(system = '${REQUIREMENT_SYSTEM}' and code != 'ESCALATION').exists() and ${DUE} >= %period.start and ${DUE} <= %period.end)`
        ),
        population(
          'denominator',
          "The initial population less its exclusions; a Task still open whose due day is not over at the report's time is not yet counted",
          `Task.where(status = 'completed' or (status = 'cancelled' and ${businessStatusIs('discharged')}) or (status != 'cancelled' and status != 'entered-in-error' and ${DUE} < now()))`
        ),
        population(
          'denominator-exclusion',
          'Closed waived, superseded or withdrawn; cancelled at program discharge on or before the due date (Task.statusReason names the discharge date, else lastModified)',
          `Task.where(status = 'entered-in-error' or (status = 'cancelled' and (${businessStatusIs('waived', 'superseded', 'withdrawn')} or (${businessStatusIs('discharged')} and lastModified <= ${DUE}))))`
        ),
        population(
          'numerator',
          'Met on time: businessStatus met-on-time, or completed in the EHR (no businessStatus of ours) with executionPeriod.end, else lastModified, on or before the due day',
          `Task.where(status = 'completed' and (${businessStatusIs('met-on-time')} or (${businessStatusIs('met-late')}.not() and (executionPeriod.end | lastModified).first() <= ${DUE})))`
        ),
        population('met-late', 'Completed after the due day', `Task.where(status = 'completed' and ${businessStatusIs('met-late')})`, TIMELINESS_POPULATION_SYSTEM),
        population('overdue', "Still open at the report's time, its due day over", `Task.where(status != 'completed' and status != 'cancelled' and status != 'entered-in-error' and ${DUE} < now())`, TIMELINESS_POPULATION_SYSTEM),
        population('discharged-overdue', 'Cancelled at program discharge after the due date had passed unmet', `Task.where(status = 'cancelled' and ${businessStatusIs('discharged')} and lastModified > ${DUE})`, TIMELINESS_POPULATION_SYSTEM),
      ],
      stratifier: [
        { code: { coding: [{ system: TIMELINESS_STRATIFIER_SYSTEM, code: 'code' }] }, description: 'By requirement code', criteria: { language: 'text/fhirpath', expression: `Task.code.coding.where(system = '${REQUIREMENT_SYSTEM}').code` } },
        { code: { coding: [{ system: TIMELINESS_STRATIFIER_SYSTEM, code: 'owner' }] }, description: 'By specialist (the Task owner)', criteria: { language: 'text/fhirpath', expression: 'Task.owner.reference' } },
      ],
    },
  ],
};

export const measures = [contactHoursMeasure, timelinessMeasure];
