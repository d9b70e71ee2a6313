/**
 * The one mapping from a changed FHIR resource to the episode events it means, shared by the
 * subscription endpoint and the polling workflow. Pure: it says which events and how to find their
 * episode; `deliver-fhir-change.ts` does the lookups and hands the events to Temporal.
 *
 * Event ids follow the episode's convention `<type>/<id>/_history/<versionId>`, so the same version
 * delivered twice (a redelivered notification, polling and a subscription together) changes
 * nothing. When one version means two events, the second carries a `#<event type>` suffix.
 */
import type { Encounter, EpisodeOfCare, QuestionnaireResponse, Resource, Task } from '@medplum/fhirtypes';
import { contactKindOf, isHospitalStay } from './contact-codes.ts';
import { episodeInputSchema, type EpisodeInput } from '../episode/input.ts';
import type { EpisodeEventInput } from '../episode/events.ts';
import { episodeIdOfTaskIdentifier, taskStatusOf } from './requirement-task.ts';
import type { SpecialistEvent } from '../specialist/events.ts';
import { FHIR_ID_PATTERN } from './ids.ts';
import {
  QUESTIONNAIRE_FOR_REQUIREMENT,
  SPECIALIST_TASK_IDENTIFIER_SYSTEM,
  SPECIALIST_TASK_STATUS_SYSTEM,
  TASK_IDENTIFIER_SYSTEM,
  TASK_STATUS_CODES,
  TASK_STATUS_SYSTEM,
  WORKER_SOURCE,
  type RequirementCode,
  type TaskStatusCode,
} from '../vocabulary.ts';
import type { EpisodeDefaults } from '../episode/episode-defaults.ts';
import { agencyLocalDate, isoInstant } from './fhir-dates.ts';
import { fhirEventId, relativeReference, versionKeyOf } from './references.ts';
import { completedInstant } from './completion-time.ts';
import { type EpisodeRoute, episodeRouteOfEncounter } from './episode-lookup.ts';
import { contactMinutesOf, practitionerOf, travelMinutesOf } from './contact-time.ts';

/** The resource types whose changes mean something to an episode. */
export const WATCHED_TYPES = ['EpisodeOfCare', 'Encounter', 'QuestionnaireResponse', 'Task'] as const;
export type WatchedType = (typeof WATCHED_TYPES)[number];

export type FhirChangeMapping =
  | { action: 'deliver'; route: EpisodeRoute; events: EpisodeEventInput[] }
  /** A change of a specialist's own Task (CASELOAD, CONTACT-HOURS), for `specialist-<id>`. */
  | { action: 'tell-specialist'; specialist: string; event: Extract<SpecialistEvent, { type: 'task-changed' }> }
  | { action: 'skip'; reason: string };

const skip = (reason: string): FhirChangeMapping => ({ action: 'skip', reason });

export function isWatchedType(type: string | undefined): type is WatchedType {
  return (WATCHED_TYPES as readonly string[]).includes(type ?? '');
}

export function mapFhirChange(resource: Resource, defaults: EpisodeDefaults): FhirChangeMapping {
  const mapping = mapByType(resource, defaults);
  const sourceUpdatedAt = isoInstant(resource.meta?.lastUpdated);
  if (mapping.action === 'skip' || !sourceUpdatedAt) return mapping;
  if (mapping.action === 'tell-specialist') return { ...mapping, event: { ...mapping.event, sourceUpdatedAt } };
  return { ...mapping, events: mapping.events.map((event) => ({ ...event, sourceUpdatedAt })) };
}

function mapByType(resource: Resource, defaults: EpisodeDefaults): FhirChangeMapping {
  if (!resource.id) return skip(`${resource.resourceType} without id`);
  const version = versionKeyOf(resource);
  if (!version) return skip(`${resource.resourceType}/${resource.id} without meta.versionId or meta.lastUpdated`);
  const timeZone = defaults.policy.timeZone;
  switch (resource.resourceType) {
    case 'EpisodeOfCare':
      return mapEpisodeOfCare(resource, version, timeZone);
    case 'Encounter':
      return mapEncounter(resource, version, timeZone);
    case 'QuestionnaireResponse':
      return mapQuestionnaireResponse(resource, version);
    case 'Task':
      return mapTask(resource, version);
    default:
      return skip(`${resource.resourceType} is not watched`);
  }
}

/**
 * Every active version (re)states who the specialist is: `staff-reassigned` to the `careManager`,
 * which changes nothing when it is the same person. It is also the signal that starts the episode.
 */
function mapEpisodeOfCare(episode: EpisodeOfCare, version: string, timeZone: string): FhirChangeMapping {
  const route: EpisodeRoute = { by: 'episode', episodeOfCare: `EpisodeOfCare/${episode.id}` };
  const eventId = fhirEventId(episode, version);
  if (episode.status === 'active' || episode.status === 'onhold') {
    const specialist = relativeReference(episode.careManager, 'Practitioner') ?? relativeReference(episode.careManager, 'PractitionerRole');
    if (!specialist) return skip(`EpisodeOfCare/${episode.id} has no careManager`);
    return { action: 'deliver', route, events: [{ type: 'staff-reassigned', eventId, role: 'specialist', practitioner: specialist }] };
  }
  if (episode.status === 'finished') {
    const date = agencyLocalDate(episode.period?.end, timeZone);
    if (!date) return skip(`EpisodeOfCare/${episode.id} finished without period.end`);
    return { action: 'deliver', route, events: [{ type: 'program-discharge', eventId, date }] };
  }
  return skip(`EpisodeOfCare/${episode.id} status ${episode.status}`);
}

function mapEncounter(encounter: Encounter, version: string, timeZone: string): FhirChangeMapping {
  const what = `Encounter/${encounter.id}`;
  const route = episodeRouteOfEncounter(encounter);
  if (!route) return skip(`${what} has neither episodeOfCare nor a Patient subject`);
  const eventId = fhirEventId(encounter, version);
  const encounterId = encounter.id as string;
  const start = agencyLocalDate(encounter.period?.start, timeZone);
  const end = agencyLocalDate(encounter.period?.end, timeZone);

  if (isHospitalStay(encounter)) {
    if (encounter.status === 'in-progress' || encounter.status === 'onleave') {
      if (!start) return skip(`${what} in hospital without period.start`);
      return { action: 'deliver', route, events: [{ type: 'hospital-admission', eventId, encounterId, admittedOn: start }] };
    }
    if (encounter.status === 'finished') {
      if (!end) return skip(`${what} finished stay without period.end`);
      // A stay first seen finished still tells when it began: readmissions are judged by it.
      const admission: EpisodeEventInput[] = start
        ? [{ type: 'hospital-admission', eventId: fhirEventId(encounter, version, 'hospital-admission'), encounterId, admittedOn: start }]
        : [];
      return { action: 'deliver', route, events: [...admission, { type: 'hospital-release', eventId, encounterId, releasedOn: end }] };
    }
    return skip(`${what} hospital stay status ${encounter.status}`);
  }

  if (encounter.status !== 'finished') return skip(`${what} contact status ${encounter.status}`);
  const kind = contactKindOf(encounter);
  if (!kind) return skip(`${what} is not a contact kind we know`);
  const date = start ?? end;
  if (!date) return skip(`${what} finished contact without period`);
  return { action: 'deliver', route, events: [{ type: 'contact-recorded', eventId, encounterId, kind, date, ...contactTimeOf(encounter) }] };
}

/** What CONTACT-HOURS needs of a contact, each field only when the Encounter says it. */
function contactTimeOf(encounter: Encounter): Partial<Extract<EpisodeEventInput, { type: 'contact-recorded' }>> {
  const start = isoInstant(encounter.period?.start);
  const minutes = contactMinutesOf(encounter);
  const practitioner = practitionerOf(encounter);
  return {
    ...(start ? { start } : {}),
    ...(minutes !== undefined ? { minutes } : {}),
    travelMinutes: travelMinutesOf(encounter),
    ...(practitioner ? { practitioner } : {}),
  };
}

/** Our Questionnaire URLs (a `|version` suffix is allowed) to the first requirement each meets. */
function requirementOfQuestionnaire(questionnaire: string | undefined): RequirementCode | undefined {
  const url = questionnaire?.split('|')[0];
  const entry = Object.entries(QUESTIONNAIRE_FOR_REQUIREMENT).find(([, candidate]) => candidate === url);
  return entry?.[0] as RequirementCode | undefined;
}

/** A completed response meets its document; the episode matches it to the right cycle (and records an Annual Assessment). */
function mapQuestionnaireResponse(response: QuestionnaireResponse, version: string): FhirChangeMapping {
  const what = `QuestionnaireResponse/${response.id}`;
  if (response.status !== 'completed') return skip(`${what} status ${response.status}`);
  const requirement = requirementOfQuestionnaire(response.questionnaire);
  if (!requirement) return skip(`${what} answers a Questionnaire that is not ours`);
  const encounter = relativeReference(response.encounter, 'Encounter');
  const patient = relativeReference(response.subject, 'Patient');
  const route: EpisodeRoute | undefined = encounter ? { by: 'encounter', encounter } : patient ? { by: 'patient', patient } : undefined;
  if (!route) return skip(`${what} has neither encounter nor a Patient subject`);
  const completedAt = completedInstant(response);
  if (!completedAt) return skip(`${what} without authored time`);
  return {
    action: 'deliver',
    route,
    events: [{ type: 'document-completed', eventId: fhirEventId(response, version), requirement, questionnaireResponseId: response.id as string, completedAt }],
  };
}

/** Business statuses only the worker writes together with a final `status`. */
const WORKER_FINAL_STATUSES: ReadonlySet<string> = new Set(TASK_STATUS_CODES.filter((code) => !['open', 'due-soon', 'overdue'].includes(code)));

/**
 * A version the worker wrote: our `meta.source` (HAPI appends `#<request id>`) on a status the
 * worker writes with that business status. An EHR that completes or cancels our Task but carries
 * our `meta.source` over leaves a pair the worker never writes (`completed` + `overdue`): its
 * change still counts.
 */
export function isWorkerWrite(task: Task): boolean {
  const source = task.meta?.source;
  if (source !== WORKER_SOURCE && !source?.startsWith(`${WORKER_SOURCE}#`)) return false;
  const businessStatus = task.businessStatus?.coding?.find((coding) => coding.system === TASK_STATUS_SYSTEM)?.code;
  return (TASK_STATUS_CODES as readonly string[]).includes(businessStatus ?? '') && taskStatusOf(businessStatus as TaskStatusCode) === task.status;
}

/**
 * A change made in the EHR: completed, cancelled, put in progress or given to someone else.
 * The worker's own writes are recognised by `meta.source`, and, for Tasks written before the worker
 * set it (or where a server drops it), by a final status the worker itself set (a met/waived/…
 * business status next to completed/cancelled).
 */
function mapTask(task: Task, version: string): FhirChangeMapping {
  const what = `Task/${task.id}`;
  const specialistTask = task.identifier?.find((identifier) => identifier.system === SPECIALIST_TASK_IDENTIFIER_SYSTEM)?.value;
  if (specialistTask !== undefined) return mapSpecialistTask(task, specialistTask, version);
  const ours = task.identifier?.find((identifier) => identifier.system === TASK_IDENTIFIER_SYSTEM)?.value;
  if (!ours) return skip(`${what} is not a requirement Task`);
  const episodeId = episodeIdOfTaskIdentifier(ours);
  if (!episodeId) return skip(`${what} has a malformed requirement identifier`);
  if (isWorkerWrite(task)) return skip(`${what} written by the worker`);
  const status = changedStatusOf(task);
  if (!status) return skip(`${what} status ${task.status}`);
  const businessStatus = task.businessStatus?.coding?.[0]?.code;
  if ((status === 'completed' || status === 'cancelled') && businessStatus && WORKER_FINAL_STATUSES.has(businessStatus)) {
    return skip(`${what} ${status} by the worker (${businessStatus})`);
  }
  const at = completedInstant(task);
  if (!at) return skip(`${what} without a time of change`);
  const owner = relativeReference(task.owner, 'Practitioner') ?? relativeReference(task.owner, 'PractitionerRole');
  return {
    action: 'deliver',
    route: { by: 'episode', episodeOfCare: `EpisodeOfCare/${episodeId}` },
    events: [{ type: 'task-changed', eventId: fhirEventId(task, version), taskId: task.id as string, status, ...(owner ? { owner } : {}), at }],
  };
}

function changedStatusOf(task: Task): 'ready' | 'in-progress' | 'completed' | 'cancelled' | undefined {
  const status = task.status;
  return status === 'ready' || status === 'in-progress' || status === 'completed' || status === 'cancelled' ? status : undefined;
}

/** Business statuses of a specialist's Task that say it is open; `back-within` goes with a final status. */
const SPECIALIST_OPEN_STATUSES: ReadonlySet<string> = new Set(['over-cap', 'below-target']);

/**
 * A version of a specialist's Task the worker wrote: our `meta.source` and a business status the
 * worker writes on a status that goes with it (open ones on an open Task, `back-within` on a final
 * one), so that an EHR completing our Task and carrying our `meta.source` over still counts.
 * `approved` is the supervisor's in the EHR: always their change.
 */
export function isSpecialistWorkerWrite(task: Task): boolean {
  const source = task.meta?.source;
  if (source !== WORKER_SOURCE && !source?.startsWith(`${WORKER_SOURCE}#`)) return false;
  const businessStatus = task.businessStatus?.coding?.find((coding) => coding.system === SPECIALIST_TASK_STATUS_SYSTEM)?.code ?? '';
  const final = task.status === 'completed' || task.status === 'cancelled';
  return SPECIALIST_OPEN_STATUSES.has(businessStatus) ? !final : businessStatus === 'back-within' && final;
}

/** A specialist's Task (identifier `<Practitioner id>/<code>/<n>`) changed in the EHR: for its specialist's workflow. */
function mapSpecialistTask(task: Task, identifier: string, version: string): FhirChangeMapping {
  const what = `Task/${task.id}`;
  const practitionerId = identifier.split('/')[0] ?? '';
  if (!FHIR_ID_PATTERN.test(practitionerId)) return skip(`${what} has a malformed specialist Task identifier`);
  if (isSpecialistWorkerWrite(task)) return skip(`${what} written by the worker`);
  const status = changedStatusOf(task);
  if (!status) return skip(`${what} status ${task.status}`);
  const at = completedInstant(task);
  if (!at) return skip(`${what} without a time of change`);
  const owner = relativeReference(task.owner, 'Practitioner') ?? relativeReference(task.owner, 'PractitionerRole');
  return {
    action: 'tell-specialist',
    specialist: `Practitioner/${practitionerId}`,
    event: { type: 'task-changed', eventId: fhirEventId(task, version), taskId: task.id as string, status, ...(owner ? { owner } : {}), at },
  };
}

/** Its `period.end`, as the agency's day, is before `date` (whatever its status says). */
export function endedBefore(episode: EpisodeOfCare, date: string, timeZone: string): boolean {
  const end = agencyLocalDate(episode.period?.end, timeZone);
  return end !== undefined && end < date;
}

/** `EpisodeOfCare.type` codes (any system), for the caseload's level-of-care restriction; nothing when it has none. */
function levelOfCareOf(episode: EpisodeOfCare): { levelOfCare?: string[] } {
  const codes = (episode.type ?? []).flatMap((type) => type.coding ?? []).flatMap((coding) => (coding.code ? [coding.code] : []));
  return codes.length > 0 ? { levelOfCare: [...new Set(codes)] } : {};
}

export type EpisodeInputResult = { ok: true; input: EpisodeInput } | { ok: false; reason: string };

/**
 * The start input of an episode from its EpisodeOfCare: patient, `careManager` as the specialist,
 * admission at `period.start`, the agency from `managingOrganization`; supervisor, fallback agency
 * and policy from the configuration; the treatment plan when the caller found one. A backfill
 * from `backfillSince` starts none for an EpisodeOfCare that ended before that day.
 */
export function episodeInputOf(episode: EpisodeOfCare, defaults: EpisodeDefaults, carePlan?: string, backfillSince?: string): EpisodeInputResult {
  if (backfillSince && endedBefore(episode, backfillSince, defaults.policy.timeZone)) {
    return { ok: false, reason: `EpisodeOfCare/${episode.id} ended before the backfill from ${backfillSince}: not started` };
  }
  const input = {
    patient: relativeReference(episode.patient, 'Patient'),
    episodeOfCare: `EpisodeOfCare/${episode.id}`,
    ...(carePlan ? { carePlan } : {}),
    specialist: relativeReference(episode.careManager, 'Practitioner') ?? relativeReference(episode.careManager, 'PractitionerRole'),
    supervisor: defaults.supervisor,
    agency: relativeReference(episode.managingOrganization, 'Organization') ?? defaults.agency,
    admissionDate: agencyLocalDate(episode.period?.start, defaults.policy.timeZone),
    ...levelOfCareOf(episode),
    policy: defaults.policy,
  };
  const result = episodeInputSchema.safeParse(input);
  if (result.success) return { ok: true, input: result.data };
  const fields = result.error.issues.map((issue) => issue.path.map(String).join('.')).join(', ');
  return { ok: false, reason: `EpisodeOfCare/${episode.id} cannot start an episode: missing or invalid ${fields}` };
}
