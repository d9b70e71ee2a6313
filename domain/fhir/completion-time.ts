/**
 * When the EHR says a Task or a QuestionnaireResponse was done: a Task's `executionPeriod.end`,
 * else its `lastModified`, else `meta.lastUpdated`; a response's `authored`, else `meta.lastUpdated`.
 */
import type { QuestionnaireResponse, Task } from '@medplum/fhirtypes';
import { isoInstant } from './fhir-dates.ts';

function candidates(resource: Task | QuestionnaireResponse): (string | undefined)[] {
  return resource.resourceType === 'Task'
    ? [resource.executionPeriod?.end, resource.lastModified, resource.meta?.lastUpdated]
    : [resource.authored, resource.meta?.lastUpdated];
}

/** The first of those the resource has, as the server wrote it. */
export function completedAt(resource: Task | QuestionnaireResponse): string | undefined {
  return candidates(resource).find((value) => value !== undefined);
}

/** The first of those that is an instant, as an ISO instant (`Z`); a date without a time is passed over. */
export function completedInstant(resource: Task | QuestionnaireResponse): string | undefined {
  return candidates(resource).map(isoInstant).find((value) => value !== undefined);
}
