/**
 * The reducer for events: state + event → new state. Pure: the workflow passes its clock in.
 * A repeated event id changes nothing; events may arrive in any order.
 */
import { isWaivedByAssessment, localDateOf, ruleOf, type StayChange, type Trigger, triggeredDeadlines } from '../rules/index.ts';
import { ALL_PATCHES, type EpisodePatches } from './patches.ts';
import { applyContactEvidence, applyDocumentEvidence } from './evidence.ts';
import type { EpisodeEvent } from './events.ts';
import { addRequirement, asDeadline, close, meet } from './requirements.ts';
import { advanceEpisode } from './schedule.ts';
import { type EpisodeState, isOpen, isPending, type Requirement } from './state.ts';
import { resourceOfEventId } from '../fhir/references.ts';
import { tellContact, tellDischarge, tellReassignment } from './specialist-outbox.ts';

const MAX_SEEN_EVENT_IDS = 1000;
const MAX_SOURCE_VERSIONS = 1000;

type Handler<T extends EpisodeEvent['type']> = (
  state: EpisodeState,
  event: Extract<EpisodeEvent, { type: T }>,
  now: number,
  patches: EpisodePatches,
) => void;

/**
 * An occurrence whose Task is already out and overdue stays open when its rule keeps overdue ones
 * (a missed weekly contact is a real miss). One whose Task was never written (a stay reported only
 * once it had ended) is not written at all.
 */
function keepsOverdueTask(requirement: Requirement, patches: EpisodePatches): boolean {
  return requirement.stage === 'overdue' && (requirement.taskId !== undefined || !patches.noTaskBornCancelled);
}

/** Closes the pending requirements whose rule says the hospital admission or release `change` supersedes them. */
function supersedeOnStayChange(state: EpisodeState, change: StayChange, now: number, patches: EpisodePatches): void {
  for (const requirement of Object.values(state.requirements)) {
    const supersession = ruleOf(requirement.code)?.supersededBy;
    if (!supersession || !isPending(requirement)) continue;
    if (supersession.keepsOverdue && keepsOverdueTask(requirement, patches)) continue;
    const reason = supersession.reason(requirement, change);
    if (reason) close(state, requirement, 'superseded', reason, now, patches);
  }
}

/** Adds the requirements `trigger` starts under the rules of `kind`, about `focus`. */
function addTriggered(state: EpisodeState, kind: 'hospital-release' | 'contact' | 'discharge', trigger: Trigger, focus: string, now: number): void {
  for (const deadline of triggeredDeadlines(kind, trigger, state.config.policy)) addRequirement(state, deadline, focus, now);
}

const hospitalAdmission: Handler<'hospital-admission'> = (state, event, now, patches) => {
  const stay = (state.stays[event.encounterId] ??= {});
  stay.admittedOn = event.admittedOn;
  supersedeOnStayChange(state, { event: 'hospital-admission', encounterId: event.encounterId, stays: state.stays }, now, patches);
};

const hospitalRelease: Handler<'hospital-release'> = (state, event, now, patches) => {
  const stay = (state.stays[event.encounterId] ??= {});
  stay.releasedOn = event.releasedOn;
  if (state.status === 'active') {
    addTriggered(state, 'hospital-release', { date: event.releasedOn, encounterId: event.encounterId }, `Encounter/${event.encounterId}`, now);
  }
  supersedeOnStayChange(state, { event: 'hospital-release', encounterId: event.encounterId, stays: state.stays }, now, patches);
};

const contactRecorded: Handler<'contact-recorded'> = (state, event, now) => {
  const contact = { encounterId: event.encounterId, kind: event.kind, date: event.date };
  if (!state.contacts.some((known) => known.encounterId === contact.encounterId)) state.contacts.push(contact);
  if (state.status === 'active') {
    addTriggered(state, 'contact', { date: event.date, encounterId: event.encounterId, contactKind: event.kind }, `Encounter/${event.encounterId}`, now);
  }
  applyContactEvidence(state, contact, now);
  tellContact(state, event);
};

/** Waives the pending requirements whose rule an assessment on `date` waives. */
function recordAssessment(state: EpisodeState, date: string, now: number, patches: EpisodePatches): void {
  if (!state.assessmentDates.includes(date)) state.assessmentDates = [...state.assessmentDates, date].sort();
  for (const requirement of Object.values(state.requirements)) {
    if (isPending(requirement) && isWaivedByAssessment(asDeadline(requirement), date, state.config.policy)) {
      close(state, requirement, 'waived', `Assessment completed on ${date}, in the month this review is due`, now, patches);
    }
  }
}

const documentCompleted: Handler<'document-completed'> = (state, event, now, patches) => {
  const completedAt = Date.parse(event.completedAt);
  applyDocumentEvidence(
    state,
    { requirement: event.requirement, cycle: event.cycle, questionnaireResponseId: event.questionnaireResponseId, completedAt },
    now,
  );
  if (ruleOf(event.requirement)?.evidence.recordsAssessment) recordAssessment(state, localDateOf(completedAt, state.config.policy.timeZone), now, patches);
};

const assessmentCompleted: Handler<'assessment-completed'> = (state, event, now, patches) => recordAssessment(state, event.date, now, patches);

const taskChanged: Handler<'task-changed'> = (state, event, now, patches) => {
  const requirement = Object.values(state.requirements).find((candidate) => candidate.taskId === event.taskId);
  if (!requirement) return;
  if (event.owner && event.owner !== requirement.owner) requirement.owner = event.owner;
  if (event.status === 'completed') meet(state, requirement, `Task/${event.taskId}`, Date.parse(event.at), now);
  if (event.status === 'cancelled') close(state, requirement, 'withdrawn', 'Cancelled in the EHR', now, patches);
};

/**
 * A new specialist (or supervisor) takes over every pending requirement of the role. The intake
 * restates the specialist with every EpisodeOfCare version: naming the one already in the role
 * changes nothing (and keeps Tasks the EHR gave to someone else with them).
 */
const staffReassigned: Handler<'staff-reassigned'> = (state, event, now, patches) => {
  if (state.config[event.role] === event.practitioner && patches.reassignOnlyOnChange) return;
  if (event.role === 'specialist') tellReassignment(state, event.practitioner, now);
  state.config[event.role] = event.practitioner;
  const escalations = event.role === 'supervisor';
  for (const requirement of Object.values(state.requirements)) {
    if (!isPending(requirement) || (requirement.code === 'ESCALATION') !== escalations) continue;
    requirement.owner = event.practitioner;
    if (isOpen(requirement)) requirement.synced = false;
  }
};

const programDischarge: Handler<'program-discharge'> = (state, event, now, patches) => {
  if (state.status !== 'active') return;
  tellDischarge(state, now);
  for (const requirement of Object.values(state.requirements)) {
    close(state, requirement, 'discharged', `Client discharged from the program on ${event.date}`, now, patches);
  }
  Object.assign(state, { status: 'discharged', dischargeDate: event.date });
  addTriggered(state, 'discharge', { date: event.date }, state.config.episodeOfCare, now);
};

const HANDLERS: { [T in EpisodeEvent['type']]: Handler<T> } = {
  'hospital-admission': hospitalAdmission,
  'hospital-release': hospitalRelease,
  'contact-recorded': contactRecorded,
  'document-completed': documentCompleted,
  'assessment-completed': assessmentCompleted,
  'task-changed': taskChanged,
  'staff-reassigned': staffReassigned,
  'program-discharge': programDischarge,
};

export function isDuplicate(state: EpisodeState, event: EpisodeEvent): boolean {
  return state.seenEventIds.includes(event.eventId);
}

/** The FHIR resource a FHIR-sourced event comes from (`Encounter/e1` of `Encounter/e1/_history/3`). */
export function sourceOf(event: EpisodeEvent): string | undefined {
  return resourceOfEventId(event.eventId);
}

/** Whether the event comes from a version of its resource older than one already applied. */
export function isOlderThanApplied(state: EpisodeState, event: EpisodeEvent): boolean {
  const source = sourceOf(event);
  const applied = source && state.sourceVersions?.[source];
  return Boolean(applied && event.sourceUpdatedAt && Date.parse(event.sourceUpdatedAt) < Date.parse(applied));
}

function rememberSourceVersion(state: EpisodeState, event: EpisodeEvent): void {
  const source = sourceOf(event);
  if (!source || !event.sourceUpdatedAt || isOlderThanApplied(state, event)) return;
  const { [source]: _previous, ...others } = state.sourceVersions ?? {};
  const entries = [...Object.entries(others), [source, event.sourceUpdatedAt] as const].slice(-MAX_SOURCE_VERSIONS);
  state.sourceVersions = Object.fromEntries(entries);
}

export function applyEvent(state: EpisodeState, event: EpisodeEvent, now: number, patches: EpisodePatches = ALL_PATCHES): EpisodeState {
  if (isDuplicate(state, event)) return state;
  const next: EpisodeState = JSON.parse(JSON.stringify(state));
  next.seenEventIds = [...next.seenEventIds, event.eventId].slice(-MAX_SEEN_EVENT_IDS);
  next.eventsThisRun += 1;
  rememberSourceVersion(next, event);
  (HANDLERS[event.type] as Handler<typeof event.type>)(next, event, now, patches);
  advanceEpisode(next, now, patches);
  return next;
}
