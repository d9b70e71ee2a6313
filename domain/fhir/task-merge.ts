/**
 * How a requirement's Task (as `buildRequirementTask` makes it) is brought onto the Task already
 * on the server. The EHR's word wins over ours: the worker never changes a status it does not
 * write. A Task staff have ended (completed, cancelled, failed…) keeps that status whatever the
 * requirement says, and the write reports the EHR's change for the workflow to apply. A Task staff
 * are working on (in-progress, on-hold…) keeps its status while the requirement is open; only the
 * requirement's end (met, or closed) moves it on. Of the rest, the fields the workflow owns are
 * replaced and whatever else the EHR added is kept.
 */
import type { Task } from '@medplum/fhirtypes';
import type { RequirementTaskWritten } from '../episode/episode-activities.ts';
import { completedAt } from './completion-time.ts';

/** Task fields the workflow owns; an update replaces these and keeps whatever else the EHR added. */
const MANAGED_TASK_FIELDS = [
  'identifier',
  'basedOn',
  'partOf',
  'status',
  'statusReason',
  'businessStatus',
  'intent',
  'code',
  'description',
  'focus',
  'for',
  'executionPeriod',
  'authoredOn',
  'lastModified',
  'requester',
  'performerType',
  'owner',
  'restriction',
  'input',
  'output',
] as const satisfies readonly (keyof Task)[];

/** The statuses the worker writes; any other was set by staff. */
const WORKER_STATUSES: readonly Task['status'][] = ['ready', 'completed', 'cancelled'];
const ENDED_STATUSES: readonly Task['status'][] = ['completed', 'cancelled', 'failed', 'rejected', 'entered-in-error'];

export type TaskUpdate =
  /** Staff ended the Task in the EHR: nothing is written, the workflow applies their change. */
  | { action: 'ended-in-ehr'; changedInEhr: NonNullable<RequirementTaskWritten['changedInEhr']> }
  /** The Task already says what the requirement says. */
  | { action: 'none' }
  /** The Task to write over `current` (guarded by its version). */
  | { action: 'update'; task: Task };

/**
 * What to do with `current`, the Task on the server, for the requirement's Task `desired`.
 * `now` (ISO) is the time of an EHR end when the Task records none.
 */
export function taskUpdateOf(current: Task, desired: Task, now: string): TaskUpdate {
  const ended = endedInEhr(current, desired);
  if (ended) {
    const versionId = current.meta?.versionId;
    return { action: 'ended-in-ehr', changedInEhr: { status: ended, owner: current.owner?.reference, at: completedAt(current) ?? now, versionId } };
  }
  const wanted = withStaffStatus(current, desired);
  return sameContent(current, wanted) ? { action: 'none' } : { action: 'update', task: merged(current, wanted) };
}

/** The EHR's end of a Task the requirement would give another status, as the workflow applies it. */
function endedInEhr(current: Task, desired: Task): 'completed' | 'cancelled' | undefined {
  if (!ENDED_STATUSES.includes(current.status) || current.status === desired.status) return undefined;
  return current.status === 'completed' ? 'completed' : 'cancelled';
}

/** The requirement's Task, with the status staff are working in while it stays open. */
function withStaffStatus(current: Task, desired: Task): Task {
  return !WORKER_STATUSES.includes(current.status) && desired.status === 'ready' ? { ...desired, status: current.status } : desired;
}

/** Managed fields equal, ignoring key order and `lastModified` (which changes on every write). */
function sameContent(current: Task, desired: Task): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)]))
        : value;
  const project = (task: Task) => canonical(MANAGED_TASK_FIELDS.filter((field) => field !== 'lastModified').map((field) => task[field] ?? null));
  return JSON.stringify(project(current)) === JSON.stringify(project(desired));
}

function merged(current: Task, desired: Task): Task {
  const kept: Task = { ...current };
  for (const field of MANAGED_TASK_FIELDS) delete kept[field];
  const profiles = [...new Set([...(current.meta?.profile ?? []), ...(desired.meta?.profile ?? [])])];
  // Our source on every version we write, whoever wrote the one before: the intake skips our echoes by it.
  return { ...kept, ...desired, id: current.id, meta: { ...current.meta, profile: profiles, source: desired.meta?.source } };
}
