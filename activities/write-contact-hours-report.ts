/**
 * Creates or corrects one week's contact-hours MeasureReport by its identifier
 * (write-by-identifier.ts): a late contact rewrites the same resource with the new figures.
 */
import type { MedplumClient } from '@medplum/core';
import type { MeasureReport } from '@medplum/fhirtypes';
import type { ContactHoursReportWrite, ContactHoursReportWritten } from '../domain/specialist/specialist-activities.ts';
import { buildContactHoursReport } from '../domain/fhir/contact-hours-report.ts';
import { writeByIdentifier } from './write-by-identifier.ts';

/** The fields we write, ignoring `date` (it changes on every write). */
function sameFigures(current: MeasureReport, desired: MeasureReport): boolean {
  const project = (report: MeasureReport) => JSON.stringify([report.identifier, report.status, report.type, report.measure, report.subject, report.reporter, report.period, report.group]);
  return project(current) === project(desired);
}

export function writeContactHoursReport(fhir: MedplumClient, write: ContactHoursReportWrite): Promise<ContactHoursReportWritten> {
  const desired = buildContactHoursReport(write);
  return writeByIdentifier<MeasureReport, ContactHoursReportWritten>(
    fhir,
    desired,
    (current) =>
      sameFigures(current, desired)
        ? { action: 'keep', result: { reportId: current.id! } }
        : { action: 'update', resource: { ...current, ...desired, id: current.id, meta: { ...current.meta, ...desired.meta } } },
    (report) => ({ reportId: report.id! }),
  );
}
