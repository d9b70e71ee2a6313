/**
 * `care-episodes report`: the timeliness report of one calendar month in the agency's zone, computed
 * from the requirement Tasks on the FHIR server, the agency's or one specialist's (their Tasks' owner).
 */
import type { MedplumClient } from '@medplum/core';
import type { Instant } from '../domain/calendar/local-date.ts';
import { periodOfMonth } from '../domain/reporting/report-month.ts';
import { requirementTaskFacts, timelinessReportOf } from '../domain/reporting/timeliness.ts';
import type { TimelinessReport } from '../domain/reporting/timeliness-report.ts';
import { requirementTasksDue } from '../activities/requirement-tasks-due.ts';

/**
 * `month` is `YYYY-MM`; `asOf` the report's time: open Tasks due on a day that ended before it are
 * overdue, the others (later in a month not over yet) not yet counted.
 */
export async function monthlyTimelinessReport(fhir: MedplumClient, month: string, timeZone: string, asOf: Instant, specialist?: string): Promise<TimelinessReport> {
  const period = periodOfMonth(month);
  const tasks = await requirementTasksDue(fhir, period, timeZone);
  const owned = specialist === undefined ? tasks : tasks.filter((task) => requirementTaskFacts(task, timeZone)?.owner === specialist);
  return timelinessReportOf(owned, period, timeZone, asOf);
}
