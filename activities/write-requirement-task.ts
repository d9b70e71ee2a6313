/**
 * Creates or brings up to date the Task of one requirement. Idempotent: a conditional create on the
 * requirement's identifier, then an update guarded by If-Match; on 412 the Task is read again and
 * the update retried against the new version.
 *
 * The EHR's word wins over ours: the worker never changes a status it does not write. A Task staff
 * have ended (completed, cancelled, failed…) keeps that status whatever the requirement says, and
 * the write reports the EHR's change for the workflow to apply. A Task staff are working on
 * (in-progress, on-hold…) keeps its status while the requirement is open; only the requirement's
 * end (met, or closed) moves it on.
 */
import type { MedplumClient } from '@medplum/core';
import type { Task } from '@medplum/fhirtypes';
import { ApplicationFailure } from '@temporalio/activity';
import type { FhirRefusal, RequirementTaskWrite, RequirementTaskWritten } from '../domain/episode/activity-contract.ts';
import { expectResource } from './fhir-answer.ts';
import { httpStatusOf } from '../platform/fhir-http-error.ts';
import { classifyFhirError } from './fhir-errors.ts';
import { buildRequirementTask, MANAGED_TASK_FIELDS, taskIdentifierQuery } from '../domain/fhir/requirement-task.ts';

const MAX_CONFLICTS = 5;

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

function isConflict(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === 409 || status === 412;
}

/** The statuses the worker writes; any other was set by staff. */
const WORKER_STATUSES: readonly Task['status'][] = ['ready', 'completed', 'cancelled'];
const ENDED_STATUSES: readonly Task['status'][] = ['completed', 'cancelled', 'failed', 'rejected', 'entered-in-error'];

/** The EHR's end of a Task the requirement would give another status, as the workflow applies it. */
function endedInEhr(current: Task, desired: Task): 'completed' | 'cancelled' | undefined {
  if (!ENDED_STATUSES.includes(current.status) || current.status === desired.status) return undefined;
  return current.status === 'completed' ? 'completed' : 'cancelled';
}

/** What the update writes: the requirement's Task, with the status staff are working in while it stays open. */
function withStaffStatus(current: Task, desired: Task): Task {
  return !WORKER_STATUSES.includes(current.status) && desired.status === 'ready' ? { ...desired, status: current.status } : desired;
}

export async function writeRequirementTaskWith(fhir: MedplumClient, write: RequirementTaskWrite): Promise<RequirementTaskWritten> {
  const requirementTask = buildRequirementTask(write);
  const identifier = requirementTask.identifier![0]!.value!;
  let current: Task;
  try {
    current = await fhir.createResourceIfNoneExist(requirementTask, taskIdentifierQuery(identifier));
  } catch (error) {
    classifyFhirError(error, `create Task ${identifier}`);
  }
  current = expectResource(current, 'Task', `create Task ${identifier}`);
  for (let conflicts = 0; ; conflicts++) {
    const taskId = current.id!;
    const versionId = current.meta?.versionId;
    const ended = endedInEhr(current, requirementTask);
    if (ended) {
      const at = current.executionPeriod?.end ?? current.lastModified ?? current.meta?.lastUpdated ?? new Date().toISOString();
      return { taskId, versionId, changedInEhr: { status: ended, owner: current.owner?.reference, at, versionId } };
    }
    const desired = withStaffStatus(current, requirementTask);
    if (sameContent(current, desired)) return { taskId, versionId };
    try {
      const updated = await fhir.updateResource(merged(current, desired), versionId ? { headers: { 'If-Match': `W/"${versionId}"` } } : undefined);
      const task = expectResource(updated, 'Task', `update Task/${taskId}`);
      return { taskId: task.id as string, versionId: task.meta?.versionId };
    } catch (error) {
      if (!isConflict(error)) classifyFhirError(error, `update Task/${taskId}`);
      if (conflicts >= MAX_CONFLICTS) {
        const refusal: FhirRefusal = { status: httpStatusOf(error)!, code: 'conflict' };
        throw ApplicationFailure.create({ message: `Task/${taskId} kept changing under the update`, type: 'FhirConflict', details: [refusal] });
      }
    }
    try {
      current = await fhir.readResource('Task', taskId, { cache: 'no-cache' });
    } catch (error) {
      classifyFhirError(error, `read Task/${taskId}`);
    }
    current = expectResource(current, 'Task', `read Task/${taskId}`);
  }
}
