/**
 * The vocabulary shared by the workflows, the activities and the published FHIR package
 * (`fhir-profiles/`). Every code and URL here is part of the contract with EHR vendors:
 * change one only together with the package, and never reuse a retired code.
 *
 * Pure data: safe to import from workflow code.
 */

/** One canonical base for every artifact of our FHIR package. */
export const CANONICAL_BASE = 'https://fhir.care-episodes.org';

/** `<base>/<resourceType>/<id>`: the one URL pattern of the package. */
export function canonicalUrl(resourceType: string, id: string): string {
  return `${CANONICAL_BASE}/${resourceType}/${id}`;
}

export const TASK_STATUS_VALUE_SET = canonicalUrl('ValueSet', 'requirement-task-status');
export const TASK_STATE_VALUE_SET = canonicalUrl('ValueSet', 'requirement-task-state');
export const CONTACT_KIND_VALUE_SET = canonicalUrl('ValueSet', 'contact-kind');
export const CARE_TEAM_ROLE_VALUE_SET = canonicalUrl('ValueSet', 'care-team-role');
export const HOSPITAL_STAY_CLASS_VALUE_SET = canonicalUrl('ValueSet', 'hospital-stay-class');
export const CONTACT_CLASS_VALUE_SET = canonicalUrl('ValueSet', 'contact-class');

export const EPISODE_OF_CARE_PROFILE = canonicalUrl('StructureDefinition', 'program-episode');
export const CARE_PLAN_PROFILE = canonicalUrl('StructureDefinition', 'treatment-plan');
export const CONTACT_ENCOUNTER_PROFILE = canonicalUrl('StructureDefinition', 'contact-encounter');
export const HOSPITAL_STAY_PROFILE = canonicalUrl('StructureDefinition', 'hospital-stay');

export const V3_ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
/** Units of durations and hours (`min`, `h`). */
export const UCUM = 'http://unitsofmeasure.org';

export const REQUIREMENT_SYSTEM = `${CANONICAL_BASE}/CodeSystem/documentation-requirement`;
export const REQUIREMENT_VALUE_SET = `${CANONICAL_BASE}/ValueSet/documentation-requirement`;
export const TASK_STATUS_SYSTEM = `${CANONICAL_BASE}/CodeSystem/requirement-task-status`;
export const CONTACT_KIND_SYSTEM = `${CANONICAL_BASE}/CodeSystem/contact-kind`;
/** `Task.identifier.system` of every Task we write; the value is stable per episode, requirement and cycle. */
export const TASK_IDENTIFIER_SYSTEM = `${CANONICAL_BASE}/sid/requirement-task`;
export const REQUIREMENT_TASK_PROFILE = `${CANONICAL_BASE}/StructureDefinition/requirement-task`;
/**
 * `meta.source` of every Task the worker writes, so that the event intake knows its own writes when
 * they come back as notifications (a server may append `#<request id>`, as HAPI does).
 */
export const WORKER_SOURCE = `${CANONICAL_BASE}/care-episode-worker`;

/** Rule ids of `shared/domain/requirements.md`, plus the supervisor's escalation task. */
export const REQUIREMENT_CODES = [
  'CIP-INITIAL',
  'CIP-REVIEW',
  'CIP-ANNUAL',
  'ANNUAL-ASSESSMENT',
  'QR',
  'POST-HOSPITAL-CONTACT',
  'HOSPITAL-CONTACT',
  'DISCHARGE-PLAN',
  'NOTE-INDIVIDUAL',
  'NOTE-COLLATERAL',
  'NOTE-TREATMENT-TEAM',
  'NOTE-CRISIS',
  'ESCALATION',
] as const;
export type RequirementCode = (typeof REQUIREMENT_CODES)[number];

/**
 * `Task.businessStatus` codes: where a requirement stands on its way to being met.
 * `Task.status` carries the R4 state machine (ready → completed | cancelled); this carries the why.
 */
export const TASK_STATUS_CODES = [
  'open', // opened, not yet due soon
  'due-soon', // inside the due-soon window before the deadline
  'overdue', // past the deadline, not met; escalated to the supervisor
  'met-on-time', // completed by evidence at or before the deadline
  'met-late', // completed by evidence after the deadline
  'waived', // not required after all (a quarterly review in a month an assessment was completed or updated)
  'superseded', // closed because a later event replaced it (readmission before the post-hospital contact)
  'discharged', // cancelled because the client was discharged from the program
  'withdrawn', // cancelled or closed in the EHR by staff
] as const;
export type TaskStatusCode = (typeof TASK_STATUS_CODES)[number];

/** Kinds of contact Encounter that trigger or meet requirements. */
export const CONTACT_KINDS = ['face-to-face', 'collateral', 'crisis', 'treatment-team'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

/** The Questionnaire whose completed response meets each document requirement. */
export const QUESTIONNAIRE_FOR_REQUIREMENT: Partial<Record<RequirementCode, string>> = {
  'CIP-INITIAL': `${CANONICAL_BASE}/Questionnaire/crisis-intervention-plan`,
  'CIP-ANNUAL': `${CANONICAL_BASE}/Questionnaire/crisis-intervention-plan`,
  'CIP-REVIEW': `${CANONICAL_BASE}/Questionnaire/quarterly-review`,
  QR: `${CANONICAL_BASE}/Questionnaire/quarterly-review`,
  'ANNUAL-ASSESSMENT': `${CANONICAL_BASE}/Questionnaire/annual-assessment`,
  'DISCHARGE-PLAN': `${CANONICAL_BASE}/Questionnaire/discharge-plan`,
  'POST-HOSPITAL-CONTACT': `${CANONICAL_BASE}/Questionnaire/post-hospital-contact-note`,
  'NOTE-INDIVIDUAL': `${CANONICAL_BASE}/Questionnaire/community-support-individual-note`,
  'NOTE-COLLATERAL': `${CANONICAL_BASE}/Questionnaire/collateral-note`,
  'NOTE-TREATMENT-TEAM': `${CANONICAL_BASE}/Questionnaire/treatment-team-note`,
  'NOTE-CRISIS': `${CANONICAL_BASE}/Questionnaire/crisis-intervention-note`,
};

/** `Task.input.type` for the Questionnaire to fill in (SDC "complete questionnaire" pattern). */
export const QUESTIONNAIRE_INPUT_TYPE = { system: 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp', code: 'questionnaire' } as const;

/** `Task.output.type` of the reference to what met the requirement (QuestionnaireResponse or Encounter). */
export const EVIDENCE_OUTPUT_TYPE = {
  system: `${CANONICAL_BASE}/CodeSystem/task-output-type`,
  code: 'evidence',
  display: 'Evidence that met the requirement',
} as const;

/** `Task.performerType`: SNOMED CT occupations of who does the work. */
export const PERFORMER_TYPES = {
  specialist: { system: 'http://snomed.info/sct', code: '768730001', display: 'Case manager' },
  supervisor: { system: 'http://snomed.info/sct', code: '106328005', display: 'Social worker' },
} as const;

/**
 * Rules about one specialist across episodes (requirements.md, "Caseload and contact hours"). A
 * CodeSystem of their own beside the documentation requirements: they are staffing standards, not
 * documents of one client's record, and no timeliness count includes them.
 */
export const SPECIALIST_REQUIREMENT_CODES = ['CASELOAD', 'CONTACT-HOURS'] as const;
export type SpecialistRequirementCode = (typeof SPECIALIST_REQUIREMENT_CODES)[number];
export const SPECIALIST_REQUIREMENT_SYSTEM = canonicalUrl('CodeSystem', 'specialist-requirement');
export const SPECIALIST_REQUIREMENT_VALUE_SET = canonicalUrl('ValueSet', 'specialist-requirement');

/** `Task.businessStatus` of a specialist's Task: why it is open, or how it closed. */
export const SPECIALIST_TASK_STATUS_CODES = [
  'over-cap', // the caseload is past the cap: reassign or approve
  'below-target', // the rolling average of contact hours is under its target
  'back-within', // closed by itself: the caseload is back at or under the cap, or the average back at target
  'approved', // completed in the EHR by the supervisor: the caseload past the cap is approved until it next changes
] as const;
export type SpecialistTaskStatusCode = (typeof SPECIALIST_TASK_STATUS_CODES)[number];
export const SPECIALIST_TASK_STATUS_SYSTEM = canonicalUrl('CodeSystem', 'specialist-task-status');
export const SPECIALIST_TASK_STATUS_VALUE_SET = canonicalUrl('ValueSet', 'specialist-task-status');
export const SPECIALIST_TASK_PROFILE = canonicalUrl('StructureDefinition', 'specialist-task');
/** `Task.identifier.system` of a specialist's Tasks; the value is `<Practitioner id>/<code>/<n>`. */
export const SPECIALIST_TASK_IDENTIFIER_SYSTEM = `${CANONICAL_BASE}/sid/specialist-task`;

/** The weekly contact hours of one specialist, as an individual MeasureReport per week. */
export const CONTACT_HOURS_MEASURE = canonicalUrl('Measure', 'contact-hours');
export const CONTACT_HOURS_REPORT_PROFILE = canonicalUrl('StructureDefinition', 'contact-hours-report');
/** `MeasureReport.identifier.system`; the value is `<Practitioner id>/<ISO week>`, e.g. `s1/2026-W47`. */
export const CONTACT_HOURS_REPORT_IDENTIFIER_SYSTEM = `${CANONICAL_BASE}/sid/contact-hours-report`;
/** `Measure.group.population.code` (HL7's measure-population CodeSystem). */
export const MEASURE_POPULATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/measure-population';
/** `MeasureReport.group.code` of the contact-hours measure's two groups. */
export const CONTACT_HOURS_GROUP_SYSTEM = canonicalUrl('CodeSystem', 'contact-hours-group');
export const CONTACT_HOURS_GROUPS = ['contact-hours', 'target-hours'] as const;
/** Extension (valueDuration, UCUM `min` or `h`) on a contact Encounter: the travel time that went with the contact. */
export const TRAVEL_TIME_EXTENSION = canonicalUrl('StructureDefinition', 'travel-time');

/** The on-time documentation rate of a month (issue 14): a proportion over the requirement Tasks due in it. */
export const TIMELINESS_MEASURE = canonicalUrl('Measure', 'timely-documentation');
/** `MeasureReport.identifier.system`; the value is `<Organization id>/<YYYY-MM>` (summary) or `<Organization id>/<YYYY-MM>/<Practitioner id>` (individual). */
export const TIMELINESS_REPORT_IDENTIFIER_SYSTEM = `${CANONICAL_BASE}/sid/timeliness-report`;
/** `List.identifier.system` of a report's late and unmet Tasks; the same values as its report's. */
export const TIMELINESS_LIST_IDENTIFIER_SYSTEM = `${CANONICAL_BASE}/sid/timeliness-late-tasks`;
/** `MeasureReport.group.stratifier.code` of the timeliness measure: by requirement code and by the Task's owner. */
export const TIMELINESS_STRATIFIER_SYSTEM = canonicalUrl('CodeSystem', 'timeliness-stratifier');
export const TIMELINESS_STRATIFIERS = ['code', 'owner'] as const;
/** The populations the measure reports besides HL7's own: met late, overdue, discharged overdue (`MeasureReport.group.population.code`). */
export const TIMELINESS_POPULATION_SYSTEM = canonicalUrl('CodeSystem', 'timeliness-population');
export const TIMELINESS_POPULATIONS = ['met-late', 'overdue', 'discharged-overdue'] as const;
