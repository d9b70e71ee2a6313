/** The activities the worker registers: thin adapters from the workflow's contract to FHIR. */
import type { MedplumClient } from '@medplum/core';
import type { EpisodeActivities } from '../domain/episode/activity-contract.ts';
import type { FhirChangeActivities } from '../domain/polling/activity-contract.ts';
import { createFhirChangeActivities } from './fhir-changes.ts';
import { findEvidenceWith } from './find-evidence.ts';
import { writeRequirementTask } from './write-requirement-task.ts';

export function createActivities({ fhir }: { fhir: MedplumClient }): EpisodeActivities & FhirChangeActivities {
  return {
    writeRequirementTask: (write) => writeRequirementTask(fhir, write),
    findEvidence: (search) => findEvidenceWith(fhir, search),
    ...createFhirChangeActivities({ fhir }),
  };
}
