/**
 * The FHIR Task of a specialist's CASELOAD or CONTACT-HOURS rule, as the specialist-task profile
 * wants it: owned by the supervisor, for the Practitioner, its description a plain sentence of ids
 * and numbers. Pure: the activity sends what this builds.
 */
import type { Task } from '@medplum/fhirtypes';
import type { SpecialistTaskWrite } from '../specialist/specialist-activities.ts';
import {
  PERFORMER_TYPES,
  SPECIALIST_REQUIREMENT_SYSTEM,
  SPECIALIST_TASK_IDENTIFIER_SYSTEM,
  SPECIALIST_TASK_PROFILE,
  SPECIALIST_TASK_STATUS_SYSTEM,
  type SpecialistRequirementCode,
  type SpecialistTaskStatusCode,
  WORKER_SOURCE,
} from '../vocabulary.ts';
import { idOf } from './ids.ts';
import { SPECIALIST_RULES } from '../specialist/specialist-rules.ts';

const STATUS_PHRASE: Record<SpecialistTaskStatusCode, string> = {
  'over-cap': 'over the cap',
  'below-target': 'below target',
  'back-within': 'back within',
  approved: 'approved',
};

/** `<Practitioner id>/<code>/<n>`. */
export function specialistTaskIdentifierValue(specialist: string, code: SpecialistRequirementCode, n: number): string {
  return `${idOf(specialist)}/${code}/${n}`;
}

const iso = (instant: number) => new Date(instant).toISOString();

export function buildSpecialistTask(write: SpecialistTaskWrite): Task {
  const { task } = write;
  const closed = task.closedAt !== undefined;
  return {
    resourceType: 'Task',
    meta: { profile: [SPECIALIST_TASK_PROFILE], source: WORKER_SOURCE },
    identifier: [{ system: SPECIALIST_TASK_IDENTIFIER_SYSTEM, value: specialistTaskIdentifierValue(write.specialist, task.code, task.n) }],
    status: closed ? 'completed' : 'ready',
    businessStatus: { coding: [{ system: SPECIALIST_TASK_STATUS_SYSTEM, code: task.businessStatus }], text: STATUS_PHRASE[task.businessStatus] },
    intent: 'order',
    code: { coding: [{ system: SPECIALIST_REQUIREMENT_SYSTEM, code: task.code, display: SPECIALIST_RULES[task.code].display }], text: SPECIALIST_RULES[task.code].display },
    description: task.description,
    ...(task.focus ? { focus: { reference: task.focus } } : {}),
    for: { reference: write.specialist },
    ...(closed ? { executionPeriod: { start: iso(task.openedAt), end: iso(task.closedAt!) } } : { executionPeriod: { start: iso(task.openedAt) } }),
    authoredOn: iso(task.openedAt),
    lastModified: iso(write.now),
    requester: { reference: write.agency },
    performerType: [{ coding: [PERFORMER_TYPES.supervisor] }],
    owner: { reference: task.owner },
  };
}
