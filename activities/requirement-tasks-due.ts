/**
 * The requirement Tasks due in a period, from the FHIR server itself (paged searches on the
 * package's `due-date` SearchParameter, `Task.restriction.period.end`), so the report covers
 * episodes that ran before it existed.
 */
import type { MedplumClient } from '@medplum/core';
import type { Task } from '@medplum/fhirtypes';
import { endOfLocalDay, isoWithOffset, startOfLocalDay, type LocalDate } from '../domain/calendar/local-date.ts';
import { REQUIREMENT_TASK_PROFILE } from '../domain/vocabulary.ts';
import { classifyFhirError } from './fhir-errors.ts';
import { searchEveryPage } from './search-every-page.ts';

const PAGE_SIZE = 200;

/** The search of the Tasks due from the first instant of `start` to the last of `end`, local. */
export function requirementTasksDueQuery(period: { start: LocalDate; end: LocalDate }, timeZone: string, pageSize = PAGE_SIZE): URLSearchParams {
  return new URLSearchParams([
    ['_profile', REQUIREMENT_TASK_PROFILE],
    ['due-date', `ge${isoWithOffset(startOfLocalDay(period.start, timeZone), timeZone)}`],
    ['due-date', `le${isoWithOffset(endOfLocalDay(period.end, timeZone), timeZone)}`],
    ['_count', String(pageSize)],
  ]);
}

export async function requirementTasksDue(fhir: MedplumClient, period: { start: LocalDate; end: LocalDate }, timeZone: string, pageSize = PAGE_SIZE): Promise<Task[]> {
  const tasks: Task[] = [];
  try {
    for await (const page of searchEveryPage(fhir, 'Task', requirementTasksDueQuery(period, timeZone, pageSize))) tasks.push(...page);
  } catch (error) {
    classifyFhirError(error, `search Task due ${period.start}..${period.end}`);
  }
  return tasks;
}
