/**
 * The on-time documentation report of one period (issue 14): what the measure `timely-documentation`
 * counts on our requirement Tasks, as the CLI prints it and the MeasureReports carry it.
 * Definitions (shared/domain/requirements.md, "Timeliness report"):
 * - denominator: requirement Tasks (not ESCALATION, CASELOAD or CONTACT-HOURS) whose due date
 *   (`restriction.period.end`) falls in the period, less those closed waived, superseded or
 *   withdrawn, and less those discharged before their due date;
 * - numerator: those met-on-time;
 * - also: met late, still open past due (overdue), discharged after falling overdue.
 */
import type { LocalDate } from '../calendar/local-date.ts';

export interface TimelinessCounts {
  denominator: number;
  numerator: number;
  metLate: number;
  overdue: number;
  dischargedOverdue: number;
  /** numerator / denominator to two decimals; null when the denominator is 0. */
  rate: number | null;
}

export interface TimelinessReport extends TimelinessCounts {
  /** Requirement Tasks due in the period: denominator + denominatorExclusion. */
  initialPopulation: number;
  /** Waived, superseded, withdrawn, discharged on or before the due date, and open but not yet due. */
  denominatorExclusion: number;
  /** Of the exclusions: still open, the due day not over at the report's time. */
  notYetDue: number;
  /** The period's first and last local day (a calendar month in the agency's zone). */
  period: { start: LocalDate; end: LocalDate };
  /** By requirement code (`QR`, `CIP-INITIAL`, …). */
  byCode: Record<string, TimelinessCounts>;
  /** By the Task's owner (`Practitioner/<id>`). */
  bySpecialist: Record<string, TimelinessCounts>;
  /** `Task/<id>` of the Tasks met late, overdue or discharged overdue, by due date. */
  late: string[];
  /** The due date and why of each `late` Task, for the page's list: ids, codes and dates only. */
  lateItems: { task: string; code: string; owner: string; dueDate: LocalDate; outcome: 'met-late' | 'overdue' | 'discharged-overdue' }[];
}
