/** Creates or brings up to date the Task of one requirement (see write-task.ts). */
import type { MedplumClient } from '@medplum/core';
import type { RequirementTaskWrite, RequirementTaskWritten } from '../domain/episode/episode-activities.ts';
import { buildRequirementTask } from '../domain/fhir/requirement-task.ts';
import { writeTaskByIdentifier } from './write-task.ts';

export function writeRequirementTask(fhir: MedplumClient, write: RequirementTaskWrite): Promise<RequirementTaskWritten> {
  return writeTaskByIdentifier(fhir, buildRequirementTask(write));
}
