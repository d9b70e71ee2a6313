/**
 * What a specialist's workflow knows: the caseload, the weeks of contact hours, the CASELOAD and
 * CONTACT-HOURS Tasks, and what of it the FHIR server does not have yet (an outbox: a Task or a
 * weekly report with `synced: false`). Instants are epoch ms; FHIR references are relative.
 */
import type { AgencyPolicy } from '../rules/index.ts';
import type { ContactKind, SpecialistRequirementCode, SpecialistTaskStatusCode } from '../vocabulary.ts';
import type { WriteFailure } from '../episode/state.ts';
import type { Week } from './weeks.ts';

export interface SpecialistConfig {
  specialist: string;
  agency: string;
  policy: AgencyPolicy;
  historyEventsPerRun: number;
}

export interface CaseloadEpisode {
  episodeOfCare: string;
  /** `EpisodeOfCare.type` codes; unknown (an assignment through the CLI, until the episode tells them): counted. */
  levelOfCare?: string[];
  assignedAt: number;
}

export interface Contact {
  kind: ContactKind;
  minutes: number;
  travelMinutes: number;
  sourceUpdatedAt?: string;
}

export interface WeekRecord extends Week {
  /** By Encounter id. */
  contacts: Record<string, Contact>;
  /** Past its end: its report is due, and it counts in the rolling average. */
  complete: boolean;
  /** The weekly MeasureReport, once complete. */
  report?: { synced: boolean; reportId?: string; writeFailure?: WriteFailure };
}

export interface SpecialistTask {
  code: SpecialistRequirementCode;
  /** The `<n>` of its identifier `<Practitioner id>/<code>/<n>`. */
  n: number;
  businessStatus: SpecialistTaskStatusCode;
  /** `EpisodeOfCare/<id>` (CASELOAD) or `MeasureReport/<id>` (CONTACT-HOURS), when known. */
  focus?: string;
  owner: string;
  /** The plain sentence of `Task.description`, with the figures at its last change. */
  description: string;
  openedAt: number;
  closedAt?: number;
  /** Completed or cancelled in the EHR: the worker writes it no more. */
  endedInEhr?: 'completed' | 'cancelled';
  taskId?: string;
  synced: boolean;
  writeFailure?: WriteFailure;
}

export interface SpecialistState {
  config: SpecialistConfig;
  /** Owner of the Tasks: the newest supervisor an episode named. */
  supervisor: string;
  /** The specialist's active episodes, counted or not, by reference. */
  episodes: Record<string, CaseloadEpisode>;
  /** The approval of a caseload past the cap, until the caseload next changes. */
  approval?: { practitioner: string; at: number };
  /** By ISO week, from the first week the workflow saw (older ones leave at continue-as-new). */
  weeks: Record<string, WeekRecord>;
  /** The first week whose time the average may count: the first whole week the workflow saw. */
  firstFullWeek: string;
  /** Contacts of weeks before this one are too late: their reports are final (and gone from the state). */
  horizonWeek: string;
  /** The Tasks still open or not yet written, in the order they arose. */
  tasks: SpecialistTask[];
  /** The last `<n>` of each code's Tasks. */
  taskNumbers: Record<SpecialistRequirementCode, number>;
  /** The newest event ids applied, oldest first (bounded: see apply-event.ts). */
  eventIds: string[];
}

export function isOpenTask(task: SpecialistTask): boolean {
  return task.closedAt === undefined && task.endedInEhr === undefined;
}

export function openTaskOf(state: SpecialistState, code: SpecialistRequirementCode): SpecialistTask | undefined {
  return state.tasks.find((task) => task.code === code && isOpenTask(task));
}
