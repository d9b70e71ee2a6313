/**
 * The measure `timely-documentation` computed on our requirement Tasks as the EHR holds them
 * (issue 14; definitions in timeliness-report.ts and fhir-profiles/README.md). Pure: the activity
 * searches the Tasks due in the period and hands them here.
 */
import type { Task } from '@medplum/fhirtypes';
import { endOfLocalDay, type Instant, type LocalDate } from '../calendar/local-date.ts';
import { agencyLocalDate } from '../fhir/fhir-dates.ts';
import { relativeReference } from '../fhir/references.ts';
import { REQUIREMENT_SYSTEM, TASK_STATUS_SYSTEM } from '../vocabulary.ts';
import type { TimelinessCounts, TimelinessReport } from './timeliness-report.ts';

/** What one Task counts as in the period. */
export type TimelinessOutcome =
  | 'met-on-time'
  | 'met-late'
  | 'overdue'
  | 'discharged-overdue'
  /** cancelled at discharge on or before its due date: excluded */
  | 'discharged-before-due'
  /** waived, superseded, withdrawn (or cancelled without our reason, or entered in error): excluded */
  | 'closed'
  /** still open, its due day not over at the report's time: excluded */
  | 'not-yet-due';

const LATE_OUTCOMES = ['met-late', 'overdue', 'discharged-overdue'] as const;
type LateOutcome = (typeof LATE_OUTCOMES)[number];
const isLate = (outcome: TimelinessOutcome): outcome is LateOutcome => (LATE_OUTCOMES as readonly string[]).includes(outcome);

export interface RequirementTaskFacts {
  task: string;
  code: string;
  /** `Practitioner/<id>` (or whatever the owner is), undefined when the Task has none. */
  owner: string | undefined;
  dueDate: LocalDate;
}

/** The requirement code of a Task (not ESCALATION), its owner and its due date; undefined for Tasks the measure does not count. */
export function requirementTaskFacts(task: Task, timeZone: string): RequirementTaskFacts | undefined {
  const code = task.code?.coding?.find((coding) => coding.system === REQUIREMENT_SYSTEM)?.code;
  if (!code || code === 'ESCALATION' || !task.id) return undefined;
  const dueDate = agencyLocalDate(task.restriction?.period?.end, timeZone);
  if (!dueDate) return undefined;
  return { task: `Task/${task.id}`, code, owner: relativeReference(task.owner) ?? task.owner?.reference, dueDate };
}

const businessStatusOf = (task: Task) => task.businessStatus?.coding?.find((coding) => coding.system === TASK_STATUS_SYSTEM)?.code;

/** `…discharged from the program on YYYY-MM-DD` (domain/episode/apply-event.ts writes it as statusReason). */
const DISCHARGE_DATE = /discharged from the program on (\d{4}-\d{2}-\d{2})/;

/**
 * The day a discharged Task was cancelled: the discharge date our worker puts in statusReason, else
 * the local day of its last change (the cancellation).
 */
function dischargeDateOf(task: Task, timeZone: string): LocalDate | undefined {
  return DISCHARGE_DATE.exec(task.statusReason?.text ?? '')?.[1] ?? agencyLocalDate(task.lastModified ?? task.meta?.lastUpdated, timeZone);
}

/** The day a completed Task was met: its executionPeriod.end (the evidence's time), else its last change. */
function metDateOf(task: Task, timeZone: string): LocalDate | undefined {
  return agencyLocalDate(task.executionPeriod?.end ?? task.lastModified ?? task.meta?.lastUpdated, timeZone);
}

/**
 * The outcome of one requirement Task. `asOf`: the report's time; an open Task whose due day ended
 * before it is overdue.
 */
export function timelinessOutcomeOf(task: Task, dueDate: LocalDate, asOf: Instant, timeZone: string): TimelinessOutcome {
  const business = businessStatusOf(task);
  switch (task.status) {
    case 'completed': {
      if (business === 'met-on-time' || business === 'met-late') return business;
      const met = metDateOf(task, timeZone);
      return met !== undefined && met > dueDate ? 'met-late' : 'met-on-time';
    }
    case 'cancelled': {
      if (business !== 'discharged') return 'closed';
      const discharged = dischargeDateOf(task, timeZone);
      return discharged !== undefined && discharged > dueDate ? 'discharged-overdue' : 'discharged-before-due';
    }
    case 'entered-in-error':
      return 'closed';
    default:
      return endOfLocalDay(dueDate, timeZone) < asOf ? 'overdue' : 'not-yet-due';
  }
}

const emptyCounts = (): TimelinessCounts => ({ denominator: 0, numerator: 0, metLate: 0, overdue: 0, dischargedOverdue: 0, rate: null });

/** Two decimals; null on an empty denominator. */
export const rateOf = (numerator: number, denominator: number): number | null => (denominator === 0 ? null : Math.round((numerator / denominator) * 100) / 100);

function count(counts: TimelinessCounts, outcome: TimelinessOutcome): void {
  if (outcome === 'met-on-time') counts.numerator++;
  else if (outcome === 'met-late') counts.metLate++;
  else if (outcome === 'overdue') counts.overdue++;
  else if (outcome === 'discharged-overdue') counts.dischargedOverdue++;
  else return;
  counts.denominator++;
  counts.rate = rateOf(counts.numerator, counts.denominator);
}

/**
 * The report of the Tasks due in `period` (first and last local day, inclusive). `asOf` (the
 * report's time; default the first instant after the period) decides which open Tasks are overdue:
 * those due on a day that ended before it; the others are not yet due and left out.
 * Tasks of other codes, without a due date or due outside the period are ignored, so the search may
 * bring more than the period.
 */
export function timelinessReportOf(tasks: Task[], period: { start: LocalDate; end: LocalDate }, timeZone: string, asOf?: Instant): TimelinessReport {
  const reportTime = asOf ?? endOfLocalDay(period.end, timeZone) + 1;
  const report: TimelinessReport = { period: { ...period }, initialPopulation: 0, denominatorExclusion: 0, notYetDue: 0, ...emptyCounts(), byCode: {}, bySpecialist: {}, late: [], lateItems: [] };
  const seen = new Set<string>();
  for (const task of tasks) {
    const facts = requirementTaskFacts(task, timeZone);
    if (!facts || facts.dueDate < period.start || facts.dueDate > period.end || seen.has(facts.task)) continue;
    seen.add(facts.task);
    const outcome = timelinessOutcomeOf(task, facts.dueDate, reportTime, timeZone);
    count(report, outcome);
    report.initialPopulation++;
    if (outcome === 'not-yet-due') report.notYetDue++;
    count((report.byCode[facts.code] ??= emptyCounts()), outcome);
    if (facts.owner) count((report.bySpecialist[facts.owner] ??= emptyCounts()), outcome);
    if (isLate(outcome)) report.lateItems.push({ task: facts.task, code: facts.code, owner: facts.owner ?? '', dueDate: facts.dueDate, outcome });
  }
  report.denominatorExclusion = report.initialPopulation - report.denominator;
  // Strata with nothing counted (only excluded Tasks) are left out.
  for (const strata of [report.byCode, report.bySpecialist]) {
    for (const [key, counts] of Object.entries(strata)) if (counts.denominator === 0) delete strata[key];
  }
  report.lateItems.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.task < b.task ? -1 : a.task > b.task ? 1 : 0));
  report.late = report.lateItems.map((item) => item.task);
  return report;
}
