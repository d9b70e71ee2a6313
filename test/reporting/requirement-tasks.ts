/**
 * Test support: requirement Tasks as the worker writes them (buildRequirementTask), due on a given
 * local day and left in a given stage, for the timeliness report's tests to write to a FHIR server.
 */
import type { Task } from '@medplum/fhirtypes';
import { addCalendarDays, endOfLocalDay, startOfLocalDay, type LocalDate } from '../../domain/calendar/local-date.ts';
import type { Stage } from '../../domain/episode/state.ts';
import { buildRequirementTask } from '../../domain/fhir/requirement-task.ts';
import type { RequirementCode } from '../../domain/vocabulary.ts';

export interface DueTask {
  /** Makes the identifier unique: one episode per Task. */
  episode: string;
  code: RequirementCode;
  owner: string;
  dueDate: LocalDate;
  stage: Stage;
  /** The day the evidence came (met stages), or the day of the discharge (`discharged`). */
  on?: LocalDate;
  /** For an ESCALATION: the overdue Task's id. */
  escalatedTaskId?: string;
}

export function dueTask(due: DueTask, timeZone: string): Task {
  const noonOf = (date: LocalDate) => startOfLocalDay(date, timeZone) + 12 * 3_600_000;
  const opensAt = startOfLocalDay(addCalendarDays(due.dueDate, -14), timeZone);
  const closed = due.on === undefined ? {} : { closedAt: noonOf(due.on) };
  const met = (due.stage === 'met-on-time' || due.stage === 'met-late') && due.on ? { evidence: 'QuestionnaireResponse/qr-report', metAt: noonOf(due.on) } : {};
  const reason = due.stage === 'discharged' && due.on ? { reason: `Client discharged from the program on ${due.on}` } : {};
  return buildRequirementTask({
    patient: `Patient/p-${due.episode}`,
    episodeOfCare: `EpisodeOfCare/${due.episode}`,
    agency: 'Organization/report-agency',
    ...(due.escalatedTaskId ? { escalatedTaskId: due.escalatedTaskId } : {}),
    now: Math.max(opensAt, due.on ? noonOf(due.on) : opensAt),
    requirement: {
      key: `${due.code}/1`,
      code: due.code,
      cycle: '1',
      ruleId: due.code,
      title: `Requirement ${due.code}`,
      opensAt,
      dueSoonAt: opensAt,
      dueAt: endOfLocalDay(due.dueDate, timeZone),
      dueDate: due.dueDate,
      focus: `EpisodeOfCare/${due.episode}`,
      owner: due.owner,
      stage: due.stage,
      openedAt: opensAt,
      synced: true,
      ...closed,
      ...met,
      ...reason,
    },
  });
}
