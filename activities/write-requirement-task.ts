/**
 * Creates or brings up to date the Task of one requirement. Idempotent: a conditional create on the
 * requirement's identifier, then an update guarded by If-Match; on 412 the Task is read again and
 * the update retried against the new version. A Task the EHR has completed or cancelled is never
 * reopened: the write reports the EHR's change instead, for the workflow to apply.
 */
import type { MedplumClient } from '@medplum/core';
import type { Task } from '@medplum/fhirtypes';
import { ApplicationFailure } from '@temporalio/activity';
import type { RequirementTaskWrite, RequirementTaskWritten } from '../workflows/episode/activity-contract.ts';
import { expectResource } from './fhir-answer.ts';
import { classifyFhirError, outcomeOf, statusOf } from './fhir-errors.ts';
import { buildRequirementTask, MANAGED_TASK_FIELDS, taskIdentifierQuery } from './requirement-task.ts';

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
  const outcome = outcomeOf(error);
  return outcome !== undefined && [409, 412].includes(statusOf(outcome));
}

export async function writeRequirementTaskWith(fhir: MedplumClient, write: RequirementTaskWrite): Promise<RequirementTaskWritten> {
  const desired = buildRequirementTask(write);
  const identifier = desired.identifier![0]!.value!;
  let current: Task;
  try {
    current = await fhir.createResourceIfNoneExist(desired, taskIdentifierQuery(identifier));
  } catch (error) {
    classifyFhirError(error, `create Task ${identifier}`);
  }
  current = expectResource(current, 'Task', `create Task ${identifier}`);
  for (let conflicts = 0; ; conflicts++) {
    const taskId = current.id!;
    const versionId = current.meta?.versionId;
    if ((current.status === 'completed' || current.status === 'cancelled') && desired.status === 'ready') {
      const at = current.executionPeriod?.end ?? current.lastModified ?? current.meta?.lastUpdated ?? new Date().toISOString();
      return { taskId, versionId, changedInEhr: { status: current.status, owner: current.owner?.reference, at, versionId } };
    }
    if (sameContent(current, desired)) return { taskId, versionId };
    try {
      const updated = await fhir.updateResource(merged(current, desired), versionId ? { headers: { 'If-Match': `W/"${versionId}"` } } : undefined);
      const task = expectResource(updated, 'Task', `update Task/${taskId}`);
      return { taskId: task.id as string, versionId: task.meta?.versionId };
    } catch (error) {
      if (!isConflict(error)) classifyFhirError(error, `update Task/${taskId}`);
      if (conflicts >= MAX_CONFLICTS) throw ApplicationFailure.retryable(`Task/${taskId} kept changing under the update`, 'FhirConflict');
    }
    try {
      current = await fhir.readResource('Task', taskId, { cache: 'no-cache' });
    } catch (error) {
      classifyFhirError(error, `read Task/${taskId}`);
    }
    current = expectResource(current, 'Task', `read Task/${taskId}`);
  }
}
