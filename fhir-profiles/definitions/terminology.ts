/**
 * The package's CodeSystems and ValueSets, authored from the shared vocabulary so that a code
 * cannot exist in one and not the other (the build fails if a code lacks its definition).
 */
import type { CodeSystem, CodeSystemConcept, ValueSet } from '@medplum/fhirtypes';
import { canonicalUrl, CARE_TEAM_ROLE_VALUE_SET, CONTACT_HOURS_GROUP_SYSTEM, CONTACT_HOURS_GROUPS, TIMELINESS_POPULATION_SYSTEM, TIMELINESS_POPULATIONS, TIMELINESS_STRATIFIER_SYSTEM, TIMELINESS_STRATIFIERS, SPECIALIST_REQUIREMENT_CODES, SPECIALIST_REQUIREMENT_SYSTEM, SPECIALIST_REQUIREMENT_VALUE_SET, SPECIALIST_TASK_STATUS_CODES, SPECIALIST_TASK_STATUS_SYSTEM, SPECIALIST_TASK_STATUS_VALUE_SET, type SpecialistTaskStatusCode, CONTACT_CLASS_VALUE_SET, CONTACT_KIND_SYSTEM, CONTACT_KIND_VALUE_SET, CONTACT_KINDS, EVIDENCE_OUTPUT_TYPE, HOSPITAL_STAY_CLASS_VALUE_SET, PERFORMER_TYPES, REQUIREMENT_CODES, REQUIREMENT_SYSTEM, REQUIREMENT_VALUE_SET, TASK_STATE_VALUE_SET, TASK_STATUS_CODES, TASK_STATUS_SYSTEM, TASK_STATUS_VALUE_SET, type ContactKind, type RequirementCode, type TaskStatusCode, V3_ACT_CODE } from '../../domain/vocabulary.ts';
import { ESCALATION_CONCEPT, ruleOf } from '../../domain/rules/index.ts';
import { SPECIALIST_RULES } from '../../domain/specialist/specialist-rules.ts';
import { PACKAGE_VERSION } from '../package-id.ts';

interface Concept {
  display: string;
  definition: string;
}

/** Each requirement code's display and definition come from its rule's row (ESCALATION's from beside the rows). */
const REQUIREMENTS: Record<RequirementCode, Concept> = Object.fromEntries(
  REQUIREMENT_CODES.map((code) => {
    const { display, definition } = ruleOf(code) ?? ESCALATION_CONCEPT;
    return [code, { display, definition }];
  })
) as Record<RequirementCode, Concept>;

const TASK_STATUSES: Record<TaskStatusCode, Concept> = {
  open: { display: 'Open', definition: 'The requirement is triggered and not yet met; its deadline is not yet near.' },
  'due-soon': { display: 'Due soon', definition: 'Not yet met, and the deadline is inside the due-soon window (agency default: 2 business days).' },
  overdue: { display: 'Overdue', definition: "Not met by the deadline; escalated to the specialist's supervisor." },
  'met-on-time': { display: 'Met on time', definition: 'Met by evidence in the record (a completed QuestionnaireResponse, a finished face-to-face Encounter, or the Task completed in the EHR) at or before the deadline.' },
  'met-late': { display: 'Met late', definition: 'Met by evidence in the record after the deadline.' },
  waived: { display: 'Waived', definition: 'Not required after all: a Quarterly Review (and its crisis plan review) in a month in which an Assessment is completed or updated.' },
  superseded: { display: 'Superseded', definition: 'Closed because a later event replaced it: readmission to hospital before the post-hospital contact was met.' },
  discharged: { display: 'Discharged', definition: 'Cancelled because the client was discharged from the program.' },
  withdrawn: { display: 'Withdrawn', definition: 'Cancelled or closed in the EHR by staff.' },
};

const SPECIALIST_TASK_STATUSES: Record<SpecialistTaskStatusCode, Concept> = {
  'over-cap': { display: 'Over the cap', definition: "The specialist's caseload is past the agency's cap: the supervisor reassigns an episode or approves the caseload." },
  'below-target': { display: 'Below target', definition: "The specialist's rolling average of weekly contact hours is below its target." },
  'back-within': { display: 'Back within', definition: 'Completed by itself: the caseload is back at or under the cap, or the average back at its target.' },
  approved: { display: 'Approved', definition: 'Completed in the EHR by the supervisor: the caseload past the cap is approved until it next changes.' },
};

const CONTACT_HOURS_GROUP_CONCEPTS: Record<(typeof CONTACT_HOURS_GROUPS)[number], Concept> = {
  'contact-hours': { display: 'Contact hours', definition: "The week's counted contact time in hours (face-to-face, collateral and crisis contacts with their travel time); its population counts the contacts." },
  'target-hours': { display: 'Target hours', definition: "The week's target: the agency's weekly target for five business days, pro rata for the week's business days." },
};

const CONTACT_KIND_CONCEPTS: Record<ContactKind, Concept> = {
  'face-to-face': { display: 'Face-to-face contact', definition: 'A contact in person with the client (job description 2.H, 3.A); documented by a Community Support Individual Note.' },
  collateral: { display: 'Collateral contact', definition: 'A contact about the client with family, a guardian, significant others or another agency (job description 2.J, 3.B); documented by a Collateral Note.' },
  crisis: { display: 'Crisis contact', definition: 'An unscheduled crisis intervention with the client, in or outside business hours (job description 2.M); documented by a crisis intervention note.' },
  'treatment-team': { display: 'Treatment team meeting', definition: "A treatment team meeting about the client's treatment plan (job description 3.E, 4); documented by Treatment Team Documentation." },
};

const TIMELINESS_STRATIFIER_CONCEPTS: Record<(typeof TIMELINESS_STRATIFIERS)[number], Concept> = {
  code: { display: 'Requirement', definition: "By the Task's requirement code (Task.code from the documentation-requirement CodeSystem)." },
  owner: { display: 'Specialist', definition: "By the Task's owner (Task.owner, the specialist it is assigned to)." },
};

const TIMELINESS_POPULATION_CONCEPTS: Record<(typeof TIMELINESS_POPULATIONS)[number], Concept> = {
  'met-late': { display: 'Met late', definition: "Completed after the due date (businessStatus met-late, or executionPeriod.end after the due day's end)." },
  overdue: { display: 'Overdue', definition: "Still open (not completed or cancelled) at the report's time, its due day over." },
  'discharged-overdue': { display: 'Discharged overdue', definition: 'Cancelled at program discharge after its due date had passed unmet.' },
};

function concepts<C extends string>(codes: readonly C[], table: Record<C, Concept>): CodeSystemConcept[] {
  return codes.map((code) => ({ code, ...table[code] }));
}

function codeSystem(id: string, url: string, title: string, description: string, concept: CodeSystemConcept[]): CodeSystem {
  return {
    resourceType: 'CodeSystem',
    ...canonicalHeader(id, url, title, description),
    caseSensitive: true,
    valueSet: canonicalUrl('ValueSet', id),
    content: 'complete',
    count: concept.length,
    concept,
  };
}

function valueSet(id: string, url: string, title: string, description: string, compose: ValueSet['compose']): ValueSet {
  return {
    resourceType: 'ValueSet',
    ...canonicalHeader(id, url, title, description),
    compose,
  };
}

/** What every conformance resource of the package states about itself. */
export function canonicalHeader(id: string, url: string, title: string, description: string) {
  return { id, url, version: PACKAGE_VERSION, name: toName(id), title, status: 'active' as const, experimental: false, description };
}

/** `documentation-requirement` → `DocumentationRequirement` (a computable name). */
export function toName(id: string): string {
  return id.replace(/(^|-)([a-z])/g, (_m, _dash: string, c: string) => c.toUpperCase());
}

function wholeSystem(id: string, url: string, system: CodeSystem): ValueSet {
  return valueSet(id, url, system.title as string, `All codes of ${system.title}.`, { include: [{ system: system.url }] });
}

export const requirementCodeSystem = codeSystem(
  'documentation-requirement',
  REQUIREMENT_SYSTEM,
  'Documentation requirement',
  "The documentation a community support specialist owes for a client episode: one code per rule of the agency's documentation rules, plus the supervisor's escalation of an overdue requirement.",
  concepts(REQUIREMENT_CODES, REQUIREMENTS)
);

export const taskStatusCodeSystem = codeSystem(
  'requirement-task-status',
  TASK_STATUS_SYSTEM,
  'Requirement task business status',
  'Task.businessStatus of a requirement Task: where the requirement stands on its way to being met. Task.status carries the R4 state machine (ready, completed, cancelled); this carries the why.',
  concepts(TASK_STATUS_CODES, TASK_STATUSES)
);

export const contactKindCodeSystem = codeSystem(
  'contact-kind',
  CONTACT_KIND_SYSTEM,
  'Contact kind',
  'Encounter.type codes for the kinds of community support contact that trigger a note, where no standard code fits. Hospital stays use v3 ActCode IMP (or ACUTE, NONAC) in Encounter.class instead.',
  concepts(CONTACT_KINDS, CONTACT_KIND_CONCEPTS)
);

export const taskOutputTypeCodeSystem = codeSystem(
  'task-output-type',
  EVIDENCE_OUTPUT_TYPE.system,
  'Requirement task output type',
  'Task.output.type of a requirement Task.',
  [
    {
      code: EVIDENCE_OUTPUT_TYPE.code,
      display: EVIDENCE_OUTPUT_TYPE.display,
      definition: 'A reference to what met the requirement: the completed QuestionnaireResponse of the document, or the finished face-to-face Encounter.',
    },
  ]
);

export const specialistRequirementCodeSystem = codeSystem(
  'specialist-requirement',
  SPECIALIST_REQUIREMENT_SYSTEM,
  'Specialist requirement',
  "Standards one community support specialist keeps across all their client episodes (job description §5): the caseload cap and the weekly contact hours. Task.code of the Tasks the supervisor gets when one is not kept; they are not documentation and count in no timeliness report.",
  SPECIALIST_REQUIREMENT_CODES.map((code) => ({ code, display: SPECIALIST_RULES[code].display, definition: SPECIALIST_RULES[code].definition }))
);

export const specialistTaskStatusCodeSystem = codeSystem(
  'specialist-task-status',
  SPECIALIST_TASK_STATUS_SYSTEM,
  'Specialist task business status',
  "Task.businessStatus of a specialist Task (CASELOAD, CONTACT-HOURS): why it is open, or how it closed.",
  concepts(SPECIALIST_TASK_STATUS_CODES, SPECIALIST_TASK_STATUSES)
);

export const contactHoursGroupCodeSystem = codeSystem(
  'contact-hours-group',
  CONTACT_HOURS_GROUP_SYSTEM,
  'Contact hours measure group',
  'Measure.group.code and MeasureReport.group.code of the contact-hours measure.',
  concepts(CONTACT_HOURS_GROUPS, CONTACT_HOURS_GROUP_CONCEPTS)
);

export const timelinessStratifierCodeSystem = codeSystem(
  'timeliness-stratifier',
  TIMELINESS_STRATIFIER_SYSTEM,
  'Timeliness measure stratifier',
  'Measure.group.stratifier.code and MeasureReport.group.stratifier.code of the timely-documentation measure.',
  concepts(TIMELINESS_STRATIFIERS, TIMELINESS_STRATIFIER_CONCEPTS)
);

export const timelinessPopulationCodeSystem = codeSystem(
  'timeliness-population',
  TIMELINESS_POPULATION_SYSTEM,
  'Timeliness measure population',
  "The timely-documentation measure's populations reported besides HL7's measure-population codes: the denominator's Tasks not met on time, by why.",
  concepts(TIMELINESS_POPULATIONS, TIMELINESS_POPULATION_CONCEPTS)
);

export const requirementValueSet = wholeSystem('documentation-requirement', REQUIREMENT_VALUE_SET, requirementCodeSystem);
export const taskStatusValueSet = wholeSystem('requirement-task-status', TASK_STATUS_VALUE_SET, taskStatusCodeSystem);
export const contactKindValueSet = wholeSystem('contact-kind', CONTACT_KIND_VALUE_SET, contactKindCodeSystem);
export const taskOutputTypeValueSet = wholeSystem('task-output-type', canonicalUrl('ValueSet', 'task-output-type'), taskOutputTypeCodeSystem);

export const specialistRequirementValueSet = wholeSystem('specialist-requirement', SPECIALIST_REQUIREMENT_VALUE_SET, specialistRequirementCodeSystem);
export const specialistTaskStatusValueSet = wholeSystem('specialist-task-status', SPECIALIST_TASK_STATUS_VALUE_SET, specialistTaskStatusCodeSystem);
export const contactHoursGroupValueSet = wholeSystem('contact-hours-group', canonicalUrl('ValueSet', 'contact-hours-group'), contactHoursGroupCodeSystem);

export const taskStateValueSet = valueSet(
  'requirement-task-state',
  TASK_STATE_VALUE_SET,
  'Requirement task state',
  'The R4 Task states a requirement Task takes: created ready, in-progress when an EHR marks work started, and completed or cancelled at the end.',
  { include: [{ system: 'http://hl7.org/fhir/task-status', concept: ['ready', 'in-progress', 'completed', 'cancelled'].map((code) => ({ code })) }] }
);

export const careTeamRoleValueSet = valueSet(
  'care-team-role',
  CARE_TEAM_ROLE_VALUE_SET,
  'Care team role',
  "Task.performerType of a requirement Task: the SNOMED CT occupation of who does the work, the community support specialist (case manager) or, for an escalation, the specialist's supervisor (social worker).",
  {
    include: [
      {
        system: 'http://snomed.info/sct',
        concept: Object.values(PERFORMER_TYPES).map(({ code, display }) => ({ code, display })),
      },
    ],
  }
);

export const hospitalStayClassValueSet = valueSet(
  'hospital-stay-class',
  HOSPITAL_STAY_CLASS_VALUE_SET,
  'Hospital stay class',
  'Encounter.class codes that mark an inpatient hospital stay: v3 ActCode IMP and its specializations ACUTE and NONAC.',
  { include: [{ system: V3_ACT_CODE, concept: [{ code: 'IMP', display: 'inpatient encounter' }, { code: 'ACUTE', display: 'inpatient acute' }, { code: 'NONAC', display: 'inpatient non-acute' }] }] }
);

export const contactClassValueSet = valueSet(
  'contact-class',
  CONTACT_CLASS_VALUE_SET,
  'Community support contact class',
  'Encounter.class codes of community support contacts: in person at the agency (AMB), at home (HH) or in the community (FLD), or virtual (VR, never face-to-face).',
  { include: [{ system: V3_ACT_CODE, concept: [{ code: 'AMB', display: 'ambulatory' }, { code: 'HH', display: 'home health' }, { code: 'FLD', display: 'field' }, { code: 'VR', display: 'virtual' }] }] }
);

export const terminologyResources = [
  requirementCodeSystem,
  taskStatusCodeSystem,
  contactKindCodeSystem,
  taskOutputTypeCodeSystem,
  specialistRequirementCodeSystem,
  specialistTaskStatusCodeSystem,
  contactHoursGroupCodeSystem,
  timelinessStratifierCodeSystem,
  timelinessPopulationCodeSystem,
  requirementValueSet,
  taskStatusValueSet,
  contactKindValueSet,
  taskOutputTypeValueSet,
  specialistRequirementValueSet,
  specialistTaskStatusValueSet,
  contactHoursGroupValueSet,
  taskStateValueSet,
  careTeamRoleValueSet,
  hospitalStayClassValueSet,
  contactClassValueSet,
];
