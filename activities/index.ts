/** The activities the worker registers: thin adapters from the workflow's contract to FHIR. */
import type { MedplumClient } from '@medplum/core';
import type { EpisodeActivities } from '../domain/episode/episode-activities.ts';
import type { FhirChangeActivities } from '../domain/polling/polling-activities.ts';
import type { SpecialistActivities } from '../domain/specialist/specialist-activities.ts';
import type { ReportingActivities } from '../domain/reporting/reporting-activities.ts';
import { createFhirChangeActivities } from './fhir-changes.ts';
import { findEvidence } from './find-evidence.ts';
import { tellSpecialist } from './tell-specialist.ts';
import { writeRequirementTask } from './write-requirement-task.ts';
import { writeSpecialistTask } from './write-specialist-task.ts';
import { writeContactHoursReport } from './write-contact-hours-report.ts';
import { createReportingActivities } from './write-timeliness-reports.ts';

export function createActivities({ fhir }: { fhir: MedplumClient }): EpisodeActivities & FhirChangeActivities & SpecialistActivities & ReportingActivities {
  return {
    writeRequirementTask: (write) => writeRequirementTask(fhir, write),
    findEvidence: (search) => findEvidence(fhir, search),
    tellSpecialist,
    writeSpecialistTask: (write) => writeSpecialistTask(fhir, write),
    writeContactHoursReport: (write) => writeContactHoursReport(fhir, write),
    ...createFhirChangeActivities({ fhir }),
    ...createReportingActivities({ fhir }),
  };
}
