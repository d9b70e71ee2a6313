/**
 * The FHIR Task of one requirement, as the requirement-task profile of our package wants it.
 * Pure: the activity sends what this builds, and tests check it without a server.
 */
import type { Task } from '@medplum/fhirtypes';
import type { RequirementTaskWrite } from '../episode/episode-activities.ts';
import { displayOf } from '../rules/index.ts';
import type { Requirement } from '../episode/state.ts';
import {
  EVIDENCE_OUTPUT_TYPE,
  PERFORMER_TYPES,
  QUESTIONNAIRE_FOR_REQUIREMENT,
  QUESTIONNAIRE_INPUT_TYPE,
  REQUIREMENT_SYSTEM,
  REQUIREMENT_TASK_PROFILE,
  TASK_IDENTIFIER_SYSTEM,
  TASK_STATUS_SYSTEM,
  WORKER_SOURCE,
  type RequirementCode,
} from '../vocabulary.ts';
import { FHIR_ID_PATTERN, idOf, identifierQuery } from './ids.ts';

/**
 * `<EpisodeOfCare id>/<code>/<cycle>`. A cycle may hold a '/' (`<Encounter id>/week-2`, an escalated
 * requirement's key); the profile allows one id-like part, so '/' becomes '.'.
 */
export function taskIdentifierValue(episodeOfCare: string, code: RequirementCode, cycle: string): string {
  return `${idOf(episodeOfCare)}/${code}/${cycle.replaceAll('/', '.')}`;
}

/** The EpisodeOfCare id a Task identifier value starts with; undefined when that part is not an id. */
export function episodeIdOfTaskIdentifier(value: string): string | undefined {
  const episodeId = value.split('/')[0];
  return episodeId && FHIR_ID_PATTERN.test(episodeId) ? episodeId : undefined;
}

/** The query of the conditional create (`If-None-Exist`) and of searches for our Task. */
export function taskIdentifierQuery(value: string): string {
  return identifierQuery(TASK_IDENTIFIER_SYSTEM, value);
}

/** The R4 `Task.status` the worker writes for a stage (its business status). */
export function taskStatusOf(stage: Requirement['stage']): Task['status'] {
  switch (stage) {
    case 'met-on-time':
    case 'met-late':
      return 'completed';
    case 'waived':
    case 'superseded':
    case 'discharged':
    case 'withdrawn':
      return 'cancelled';
    default:
      return 'ready';
  }
}

const STAGE_PHRASE: Record<Requirement['stage'], string> = {
  scheduled: 'scheduled',
  open: 'open',
  'due-soon': 'due soon',
  overdue: 'overdue',
  'met-on-time': 'met on time',
  'met-late': 'met late',
  waived: 'waived',
  superseded: 'superseded',
  discharged: 'cancelled at program discharge',
  withdrawn: 'withdrawn',
};

/** A plain sentence an EHR can show as it is: titles, dates and status only, no PHI. */
function describe(requirement: Requirement, escalatedTaskId: string | undefined): string {
  if (requirement.code === 'ESCALATION') {
    return `${requirement.title} was due ${requirement.dueDate} and is not done${escalatedTaskId ? ` (Task/${escalatedTaskId})` : ''}: follow up with the specialist.`;
  }
  return `${requirement.title} due ${requirement.dueDate}: ${STAGE_PHRASE[requirement.stage]}.`;
}

const iso = (instant: number) => new Date(instant).toISOString();

export function buildRequirementTask(write: RequirementTaskWrite): Task {
  const { requirement } = write;
  const escalation = requirement.code === 'ESCALATION';
  const status = taskStatusOf(requirement.stage);
  const questionnaire = QUESTIONNAIRE_FOR_REQUIREMENT[requirement.code];
  const evidence = requirement.evidence && /^(QuestionnaireResponse|Encounter)\//.test(requirement.evidence) ? requirement.evidence : undefined;
  const focus = requirement.focus.startsWith('Encounter/') ? requirement.focus : write.episodeOfCare;
  return {
    resourceType: 'Task',
    meta: { profile: [REQUIREMENT_TASK_PROFILE], source: WORKER_SOURCE },
    identifier: [{ system: TASK_IDENTIFIER_SYSTEM, value: taskIdentifierValue(write.episodeOfCare, requirement.code, requirement.cycle) }],
    ...(write.carePlan ? { basedOn: [{ reference: write.carePlan }] } : {}),
    ...(escalation && write.escalatedTaskId ? { partOf: [{ reference: `Task/${write.escalatedTaskId}` }] } : {}),
    status,
    ...(status === 'cancelled' ? { statusReason: { text: requirement.reason ?? STAGE_PHRASE[requirement.stage] } } : {}),
    businessStatus: { coding: [{ system: TASK_STATUS_SYSTEM, code: requirement.stage }], text: STAGE_PHRASE[requirement.stage] },
    intent: 'order',
    code: { coding: [{ system: REQUIREMENT_SYSTEM, code: requirement.code, display: displayOf(requirement.code) }], text: requirement.title },
    description: describe(requirement, write.escalatedTaskId),
    focus: { reference: focus },
    for: { reference: write.patient },
    ...(requirement.metAt !== undefined ? { executionPeriod: { end: iso(requirement.metAt) } } : {}),
    authoredOn: iso(requirement.openedAt ?? write.now),
    lastModified: iso(write.now),
    requester: { reference: write.agency },
    performerType: [{ coding: [escalation ? PERFORMER_TYPES.supervisor : PERFORMER_TYPES.specialist] }],
    owner: { reference: requirement.owner },
    restriction: { period: { start: iso(requirement.opensAt), end: iso(requirement.dueAt) } },
    ...(questionnaire ? { input: [{ type: { coding: [QUESTIONNAIRE_INPUT_TYPE] }, valueCanonical: questionnaire }] } : {}),
    ...(evidence ? { output: [{ type: { coding: [EVIDENCE_OUTPUT_TYPE] }, valueReference: { reference: evidence } }] } : {}),
  };
}
