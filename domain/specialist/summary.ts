/** The CLI's `caseload --json` and the intake's `/caseload` answer, from the state (hours to two decimals). */
import { caseloadCount, countedEpisodes } from './caseload.ts';
import { figuresOf, reportedWeeks, rollingAverage } from './contact-hours.ts';
import type { SpecialistState } from './state.ts';

export interface WeekHours {
  /** ISO week, e.g. `2026-W47`. */
  week: string;
  /** Its Monday, the agency's local date. */
  start: string;
  contactHours: number;
  targetHours: number;
}

/** The `getCaseload` query's answer (workflows/specialist/messages.ts). */
export interface CaseloadSummary {
  specialist: string;
  caseload: number;
  cap: number;
  /** Whether one more assignment stays at or under the cap. */
  canAssignOne: boolean;
  episodes: string[];
  /** The last `weeks` weeks that ended and have a report (default: the policy's rolling window), oldest first; the current week is not one yet. */
  weeks: WeekHours[];
  /** Over the policy's rolling window of complete weeks since the workflow's first whole week, whatever `weeks` shows. */
  averageHours: number;
  averageTargetHours: number;
  /** The approval of a caseload past the cap in effect, if any. */
  approvedBy?: { practitioner: string; at: string };
}

/** `weeks`: how many complete weeks to list (default the rolling window). Until a whole window has passed, the average is of the weeks there are. */
export function caseloadSummaryOf(state: SpecialistState, weeks = state.config.policy.contactHours.rollingWeeks): CaseloadSummary {
  const caseload = caseloadCount(state);
  const cap = state.config.policy.caseload.cap;
  const listed = reportedWeeks(state).slice(-Math.max(0, weeks)).map((week) => {
    const { contacts: _contacts, ...figures } = figuresOf(state, week);
    return figures;
  });
  const average = rollingAverage(state, true) ?? { averageHours: 0, averageTargetHours: 0 };
  return {
    specialist: state.config.specialist,
    caseload,
    cap,
    canAssignOne: caseload + 1 <= cap,
    episodes: countedEpisodes(state).map((episode) => episode.episodeOfCare),
    weeks: listed,
    averageHours: average.averageHours,
    averageTargetHours: average.averageTargetHours,
    ...(state.approval ? { approvedBy: { practitioner: state.approval.practitioner, at: new Date(state.approval.at).toISOString() } } : {}),
  };
}
