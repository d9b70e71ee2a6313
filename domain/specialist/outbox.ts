/**
 * What the FHIR server does not have yet, and how a write's answer is recorded: weekly reports
 * first (oldest week first, so a CONTACT-HOURS Task can point at its week's report), then Tasks in
 * the order they arose. A refused write keeps the server's status and code and waits on the
 * episode's backoff (domain/episode/write-failure.ts) while the others go on.
 */
import type { FhirRefusal } from '../episode/episode-activities.ts';
import type { WriteFailure } from '../episode/state.ts';
import { nextFailure } from '../episode/write-failure.ts';
import { figuresOf, latestReport } from './contact-hours.ts';
import type { ContactHoursReportWrite, SpecialistTaskWrite } from './specialist-activities.ts';
import type { SpecialistState, SpecialistTask, WeekRecord } from './state.ts';

export type Write = { kind: 'report'; week: string } | { kind: 'task'; index: number };

const waits = (failure: WriteFailure | undefined, now: number) => failure !== undefined && failure.retryAt > now;

function reportsToWrite(state: SpecialistState): WeekRecord[] {
  return Object.values(state.weeks)
    .filter((week) => week.complete && week.report && !week.report.synced)
    .sort((a, b) => a.start.localeCompare(b.start));
}

/** The next write due at `now`, if any. */
export function nextWrite(state: SpecialistState, now: number): Write | undefined {
  const week = reportsToWrite(state).find((each) => !waits(each.report!.writeFailure, now));
  if (week) return { kind: 'report', week: week.week };
  const index = state.tasks.findIndex((task) => !task.synced && !waits(task.writeFailure, now));
  return index >= 0 ? { kind: 'task', index } : undefined;
}

/** When a write waiting on its backoff is next due. */
export function nextWriteRetryAt(state: SpecialistState): number | undefined {
  const failures = [...reportsToWrite(state).map((week) => week.report!.writeFailure), ...state.tasks.filter((task) => !task.synced).map((task) => task.writeFailure)];
  const retries = failures.filter((failure) => failure !== undefined).map((failure) => failure.retryAt);
  return retries.length > 0 ? Math.min(...retries) : undefined;
}

export function reportWriteOf(state: SpecialistState, week: string, now: number): ContactHoursReportWrite {
  return { specialist: state.config.specialist, agency: state.config.agency, timeZone: state.config.policy.timeZone, figures: figuresOf(state, state.weeks[week]!), now };
}

export function taskWriteOf(state: SpecialistState, index: number, now: number): SpecialistTaskWrite {
  const { synced: _synced, writeFailure: _failure, ...task } = state.tasks[index]!;
  const focus = task.focus ?? (task.code === 'CONTACT-HOURS' ? latestReport(state) : undefined);
  return { specialist: state.config.specialist, agency: state.config.agency, task: { ...task, ...(focus ? { focus } : {}) }, now };
}

function withWeekReport(state: SpecialistState, week: string, report: WeekRecord['report']): SpecialistState {
  return { ...state, weeks: { ...state.weeks, [week]: { ...state.weeks[week]!, report } } };
}

/**
 * The report written: synced, unless its week changed while the write was out (it was built from
 * `written`'s figures; different figures now are written again).
 */
export function withReportWritten(state: SpecialistState, write: ContactHoursReportWrite, reportId: string): SpecialistState {
  const current = state.weeks[write.figures.week];
  if (!current) return state;
  const same = JSON.stringify(figuresOf(state, current)) === JSON.stringify(write.figures);
  return withWeekReport(state, write.figures.week, { synced: same, reportId });
}

export function withReportRefused(state: SpecialistState, week: string, refusal: FhirRefusal, now: number): SpecialistState {
  const report = state.weeks[week]!.report;
  return withWeekReport(state, week, { ...report, synced: false, writeFailure: nextFailure(report?.writeFailure, refusal, now) });
}

function replaceTask(state: SpecialistState, task: SpecialistTask, next: SpecialistTask): SpecialistState {
  return { ...state, tasks: state.tasks.map((each) => (each === task ? next : each)) };
}

/** The Task written as `write` said; a Task that changed meanwhile stays unsynced. */
export function withTaskWritten(state: SpecialistState, write: SpecialistTaskWrite, taskId: string): SpecialistState {
  const task = state.tasks.find((each) => each.code === write.task.code && each.n === write.task.n);
  if (!task) return state;
  const same = task.description === write.task.description && task.businessStatus === write.task.businessStatus && task.closedAt === write.task.closedAt;
  const { writeFailure: _written, ...rest } = task;
  return replaceTask(state, task, { ...rest, taskId, ...(write.task.focus ? { focus: write.task.focus } : {}), synced: task.synced || same });
}

export function withTaskRefused(state: SpecialistState, index: number, refusal: FhirRefusal, now: number): SpecialistState {
  const task = state.tasks[index]!;
  return replaceTask(state, task, { ...task, writeFailure: nextFailure(task.writeFailure, refusal, now) });
}

/** Writes the server refused, for the Web UI: what and the answer. */
export function failedWritesOf(state: SpecialistState): { what: string; failure: WriteFailure }[] {
  return [
    ...reportsToWrite(state).flatMap((week) => (week.report?.writeFailure ? [{ what: `MeasureReport ${week.week}`, failure: week.report.writeFailure }] : [])),
    ...state.tasks.flatMap((task) => (!task.synced && task.writeFailure ? [{ what: `Task ${task.code}/${task.n}`, failure: task.writeFailure }] : [])),
  ];
}
