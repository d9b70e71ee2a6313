/**
 * A month's timeliness report, from the Tasks to FHIR: searches the requirement Tasks due in the
 * month (all pages), computes the measure, and writes by identifier the agency's List and summary
 * MeasureReport and each specialist's List and individual MeasureReport. Written again, each
 * resource is replaced in place (or left alone when its figures are the same).
 */
import type { MedplumClient } from '@medplum/core';
import type { List, MeasureReport } from '@medplum/fhirtypes';
import type { ReportingActivities, TimelinessReportsWrite, TimelinessReportsWritten } from '../domain/reporting/reporting-activities.ts';
import { periodOfMonth } from '../domain/reporting/report-month.ts';
import { timelinessReportOf } from '../domain/reporting/timeliness.ts';
import { buildTimelinessIndividual, buildTimelinessList, buildTimelinessSummary } from '../domain/fhir/timeliness-measure-report.ts';
import { requirementTasksDue } from './requirement-tasks-due.ts';
import { writeByIdentifier } from './write-by-identifier.ts';

/** The fields we write but `meta` and `date` (it changes on every run), as the contact-hours report compares them. */
function sameContent<R extends MeasureReport | List>(current: R, desired: R): boolean {
  const fields = Object.keys(desired).filter((field) => field !== 'meta' && field !== 'date') as (keyof R)[];
  const project = (resource: R) => JSON.stringify(fields.map((field) => resource[field]));
  return project(current) === project(desired);
}

/** Writes `desired` over the resource of its identifier; answers `<Type>/<id>`. */
function writeReportResource<R extends MeasureReport | List>(fhir: MedplumClient, desired: R): Promise<string> {
  const reference = (resource: R) => `${resource.resourceType}/${resource.id!}`;
  return writeByIdentifier<R, string>(
    fhir,
    desired,
    (current) =>
      sameContent(current, desired)
        ? { action: 'keep', result: reference(current) }
        : { action: 'update', resource: { ...desired, id: current.id, meta: { ...current.meta, ...desired.meta } } },
    reference,
  );
}

export async function writeTimelinessReports(fhir: MedplumClient, write: TimelinessReportsWrite): Promise<TimelinessReportsWritten> {
  const period = periodOfMonth(write.month);
  const tasks = await requirementTasksDue(fhir, period, write.timeZone);
  const report = timelinessReportOf(tasks, period, write.timeZone, write.now);
  const context = { agency: write.agency, month: write.month, timeZone: write.timeZone, now: write.now };
  const list = await writeReportResource(fhir, buildTimelinessList(report, context));
  const summary = { report: await writeReportResource(fhir, buildTimelinessSummary(report, context, list)), list };
  const individuals: TimelinessReportsWritten['individuals'] = [];
  for (const specialist of Object.keys(report.bySpecialist)) {
    const specialistList = await writeReportResource(fhir, buildTimelinessList(report, context, specialist));
    individuals.push({ specialist, report: await writeReportResource(fhir, buildTimelinessIndividual(report, context, specialist, specialistList)), list: specialistList });
  }
  const { denominator, numerator, metLate, overdue, dischargedOverdue, rate, initialPopulation, denominatorExclusion, notYetDue } = report;
  return { period, summary, individuals, counts: { denominator, numerator, metLate, overdue, dischargedOverdue, rate, initialPopulation, denominatorExclusion, notYetDue }, tasksRead: tasks.length };
}

export function createReportingActivities({ fhir }: { fhir: MedplumClient }): ReportingActivities {
  return { writeTimelinessReports: (write) => writeTimelinessReports(fhir, write) };
}
