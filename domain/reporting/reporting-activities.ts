/**
 * The activity the timeliness workflow calls, as types only: it searches the month's Tasks,
 * computes and writes the reports, and answers with ids and counts (the Tasks stay out of history).
 */
import type { LocalDate } from '../calendar/local-date.ts';
import type { TimelinessCounts } from './timeliness-report.ts';

export interface TimelinessReportsWrite {
  /** `Organization/<id>`. */
  agency: string;
  /** `YYYY-MM`. */
  month: string;
  timeZone: string;
  /** The report's time: `MeasureReport.date`, and which open Tasks are overdue. */
  now: number;
}

export interface TimelinessReportsWritten {
  period: { start: LocalDate; end: LocalDate };
  /** `MeasureReport/<id>` and `List/<id>` of the summary. */
  summary: { report: string; list: string };
  /** One per specialist with a Task counted. */
  individuals: { specialist: string; report: string; list: string }[];
  /** The agency's totals. */
  counts: TimelinessCounts & { initialPopulation: number; denominatorExclusion: number; notYetDue: number };
  /** Tasks the search brought (all pages). */
  tasksRead: number;
}

export interface ReportingActivities {
  writeTimelinessReports(write: TimelinessReportsWrite): Promise<TimelinessReportsWritten>;
}
