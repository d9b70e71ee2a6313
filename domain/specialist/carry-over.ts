/**
 * What the next run keeps at continue-as-new: the caseload, the approval, the weeks later weeks
 * need (the last `WEEKS_KEPT` complete weeks or the rolling window, the weeks not complete,
 * reports not yet written), the Tasks open or
 * not yet written, the newest event ids. A contact of a week that is gone comes too late: its
 * report is final (`horizonWeek`).
 */
import { reportedWeeks } from './contact-hours.ts';
import { isOpenTask, type SpecialistState } from './state.ts';

/** Complete weeks kept at least (a quarter), for the CLI's `--weeks` and the Web UI, beyond a shorter rolling window. */
export const WEEKS_KEPT = 13;

export function carryOver(state: SpecialistState): SpecialistState {
  const kept = Math.max(WEEKS_KEPT, state.config.policy.contactHours.rollingWeeks);
  const window = new Set(reportedWeeks(state).slice(-kept).map((week) => week.week));
  const weeks = Object.fromEntries(Object.entries(state.weeks).filter(([key, week]) => window.has(key) || !week.complete || week.report?.synced === false));
  const horizonWeek = Object.keys(weeks).sort()[0] ?? state.horizonWeek;
  return {
    ...state,
    weeks,
    horizonWeek: horizonWeek > state.horizonWeek ? horizonWeek : state.horizonWeek,
    tasks: state.tasks.filter((task) => isOpenTask(task) || !task.synced),
  };
}
