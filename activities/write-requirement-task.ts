/**
 * Creates or brings up to date the Task of one requirement. Idempotent: a conditional create on the
 * requirement's identifier, then an update guarded by If-Match; on 412 the Task is read again and
 * the update retried against the new version. What to write over the Task found (and when not to
 * write at all) is `taskUpdateOf`'s decision (domain/fhir/task-merge.ts).
 */
import type { MedplumClient } from '@medplum/core';
import type { Task } from '@medplum/fhirtypes';
import { ApplicationFailure } from '@temporalio/activity';
import type { FhirRefusal, RequirementTaskWrite, RequirementTaskWritten } from '../domain/episode/episode-activities.ts';
import { expectResource } from './fhir-answer.ts';
import { httpStatusOf } from '../platform/fhir-http-error.ts';
import { classifyFhirError } from './fhir-errors.ts';
import { buildRequirementTask, taskIdentifierQuery } from '../domain/fhir/requirement-task.ts';
import { taskUpdateOf } from '../domain/fhir/task-merge.ts';

const MAX_CONFLICTS = 5;

function isConflict(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === 409 || status === 412;
}

export async function writeRequirementTask(fhir: MedplumClient, write: RequirementTaskWrite): Promise<RequirementTaskWritten> {
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
    const update = taskUpdateOf(current, requirementTask, new Date().toISOString());
    if (update.action === 'ended-in-ehr') return { taskId, versionId, changedInEhr: update.changedInEhr };
    if (update.action === 'none') return { taskId, versionId };
    try {
      const updated = await fhir.updateResource(update.task, versionId ? { headers: { 'If-Match': `W/"${versionId}"` } } : undefined);
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
