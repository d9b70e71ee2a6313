/**
 * Requirement Tasks due in a month as the worker writes them (buildRequirementTask), one per outcome
 * of the timeliness measure, for the unit tests and the EHR tests. Not imported by the workflow.
 */
import type { Task } from '@medplum/fhirtypes';
import { endOfLocalDay, startOfLocalDay, addCalendarDays, type LocalDate } from '../calendar/local-date.ts';
import type { Stage } from '../episode/state.ts';
import { buildRequirementTask } from '../fhir/requirement-task.ts';
import type { RequirementCode } from '../vocabulary.ts';

const HOUR_MS = 3_600_000;
const noonOf = (date: LocalDate, timeZone: string) => startOfLocalDay(date, timeZone) + 12 * HOUR_MS;

export interface DueTask {
  /** The Task's logical id (client-assigned, so that tests can write it with PUT). */
  id: string;
  code: RequirementCode;
  owner: string;
  dueDate: LocalDate;
  stage: Stage;
  /** met-on-time / met-late: the day the evidence says it was met. */
  metOn?: LocalDate;
  /** discharged: the day of the discharge. */
  dischargedOn?: LocalDate;
}

/** The package's examples the Tasks reference, to be written before them. */
export const REFERENCED_EXAMPLES = ['Organization-example-agency', 'Patient-example-client', 'Practitioner-example-specialist', 'Practitioner-example-supervisor', 'EpisodeOfCare-example-episode', 'QuestionnaireResponse-example-annual-assessment'];

/**
 * The Task of `due` as the worker last wrote it, in the package's example episode (its cycle the
 * Task id), referencing only the package's examples so that HAPI's reference checks pass.
 */
export function dueTask(due: DueTask, timeZone: string): Task & { id: string } {
  const dueAt = endOfLocalDay(due.dueDate, timeZone);
  const opensAt = startOfLocalDay(addCalendarDays(due.dueDate, -14), timeZone);
  const metAt = due.metOn ? noonOf(due.metOn, timeZone) : undefined;
  const closedAt = metAt ?? (due.dischargedOn ? noonOf(due.dischargedOn, timeZone) : undefined);
  const task = buildRequirementTask({
    patient: 'Patient/example-client',
    episodeOfCare: 'EpisodeOfCare/example-episode',
    agency: 'Organization/example-agency',
    now: closedAt ?? noonOf(due.dueDate, timeZone),
    requirement: {
      key: `${due.code}/${due.id}`,
      code: due.code,
      cycle: due.id,
      ruleId: due.code,
      title: `Requirement ${due.code}`,
      opensAt,
      dueSoonAt: opensAt,
      dueAt,
      dueDate: due.dueDate,
      focus: 'EpisodeOfCare/example-episode',
      owner: due.owner,
      stage: due.stage,
      openedAt: opensAt,
      synced: true,
      ...(metAt !== undefined ? { metAt, evidence: 'QuestionnaireResponse/example-annual-assessment' } : {}),
      ...(due.dischargedOn ? { reason: `Client discharged from the program on ${due.dischargedOn}` } : {}),
      ...(due.stage === 'waived' ? { reason: 'Assessment completed in the month this review is due' } : {}),
    },
  });
  return { ...task, id: due.id };
}

/**
 * One month (January 2026) of Tasks, every outcome at least once, over two specialists and four codes;
 * `expected` is what the measure must count, worked out by hand.
 */
export const JANUARY_2026 = { start: '2026-01-01', end: '2026-01-31' } as const;
const A = 'Practitioner/example-specialist';
const B = 'Practitioner/example-supervisor';
export const JANUARY_TASKS: DueTask[] = [
  { id: 'tl-qr-on-time', code: 'QR', owner: A, dueDate: '2026-01-10', stage: 'met-on-time', metOn: '2026-01-09' },
  { id: 'tl-qr-on-due-day', code: 'QR', owner: B, dueDate: '2026-01-31', stage: 'met-on-time', metOn: '2026-01-31' },
  { id: 'tl-qr-late', code: 'QR', owner: A, dueDate: '2026-01-05', stage: 'met-late', metOn: '2026-01-08' },
  { id: 'tl-note-on-time', code: 'NOTE-INDIVIDUAL', owner: A, dueDate: '2026-01-20', stage: 'met-on-time', metOn: '2026-01-19' },
  { id: 'tl-note-overdue', code: 'NOTE-INDIVIDUAL', owner: B, dueDate: '2026-01-15', stage: 'overdue' },
  { id: 'tl-note-open-past', code: 'NOTE-INDIVIDUAL', owner: A, dueDate: '2026-01-28', stage: 'due-soon' },
  { id: 'tl-cip-waived', code: 'CIP-REVIEW', owner: A, dueDate: '2026-01-12', stage: 'waived' },
  { id: 'tl-cip-withdrawn', code: 'CIP-REVIEW', owner: B, dueDate: '2026-01-13', stage: 'withdrawn' },
  { id: 'tl-cip-superseded', code: 'CIP-REVIEW', owner: B, dueDate: '2026-01-14', stage: 'superseded' },
  { id: 'tl-plan-discharged-before', code: 'DISCHARGE-PLAN', owner: A, dueDate: '2026-01-25', stage: 'discharged', dischargedOn: '2026-01-22' },
  { id: 'tl-plan-discharged-after', code: 'DISCHARGE-PLAN', owner: B, dueDate: '2026-01-03', stage: 'discharged', dischargedOn: '2026-01-06' },
  // Not in January: due the day before and the day after.
  { id: 'tl-qr-december', code: 'QR', owner: A, dueDate: '2025-12-31', stage: 'met-late', metOn: '2026-01-02' },
  { id: 'tl-qr-february', code: 'QR', owner: A, dueDate: '2026-02-01', stage: 'overdue' },
];
