/** Creates or brings up to date a specialist's CASELOAD or CONTACT-HOURS Task (see write-task.ts). */
import type { MedplumClient } from '@medplum/core';
import type { SpecialistTaskWrite, SpecialistTaskWritten } from '../domain/specialist/specialist-activities.ts';
import { buildSpecialistTask } from '../domain/fhir/specialist-task.ts';
import { writeTaskByIdentifier } from './write-task.ts';

export function writeSpecialistTask(fhir: MedplumClient, write: SpecialistTaskWrite): Promise<SpecialistTaskWritten> {
  return writeTaskByIdentifier(fhir, buildSpecialistTask(write));
}
