/**
 * Creates or brings up to date one of our Tasks by its identifier (write-by-identifier.ts). What to
 * write over the Task found is `taskUpdateOf`'s decision (domain/fhir/task-merge.ts): a Task the
 * EHR ended meanwhile is left alone and reported as `changedInEhr`.
 */
import type { MedplumClient } from '@medplum/core';
import type { Task } from '@medplum/fhirtypes';
import type { RequirementTaskWritten } from '../domain/episode/episode-activities.ts';
import { taskUpdateOf } from '../domain/fhir/task-merge.ts';
import { writeByIdentifier } from './write-by-identifier.ts';

export function writeTaskByIdentifier(fhir: MedplumClient, desired: Task): Promise<RequirementTaskWritten> {
  return writeByIdentifier<Task, RequirementTaskWritten>(
    fhir,
    desired,
    (current) => {
      const taskId = current.id!;
      const versionId = current.meta?.versionId;
      const update = taskUpdateOf(current, desired, new Date().toISOString());
      if (update.action === 'ended-in-ehr') return { action: 'keep', result: { taskId, versionId, changedInEhr: update.changedInEhr } };
      if (update.action === 'none') return { action: 'keep', result: { taskId, versionId } };
      return { action: 'update', resource: update.task };
    },
    (task) => ({ taskId: task.id!, versionId: task.meta?.versionId }),
  );
}
