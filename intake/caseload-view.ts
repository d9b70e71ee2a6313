/** `care-episodes caseload`: the getCaseload summary as the README's JSON (hours to two decimals) or a table. */
import type { CaseloadSummary } from '../workflows/specialist/messages.ts';

const hours = (value: number) => Math.round(value * 100) / 100;

/** Exactly `{"specialist","caseload","cap","episodes","weeks":[{"week","start","contactHours","targetHours"}],"averageHours","averageTargetHours"}`. */
export function caseloadJson(summary: CaseloadSummary): string {
  return JSON.stringify({
    specialist: summary.specialist,
    caseload: summary.caseload,
    cap: summary.cap,
    episodes: summary.episodes,
    weeks: summary.weeks.map((week) => ({ week: week.week, start: week.start, contactHours: hours(week.contactHours), targetHours: hours(week.targetHours) })),
    averageHours: hours(summary.averageHours),
    averageTargetHours: hours(summary.averageTargetHours),
  });
}

export function caseloadTable(summary: CaseloadSummary): string[] {
  const fixed = (value: number) => hours(value).toFixed(2).padStart(7);
  const approval = summary.approvedBy ? `, past the cap approved by ${summary.approvedBy.practitioner} at ${summary.approvedBy.at}` : '';
  return [
    `${summary.specialist}: caseload ${summary.caseload} of cap ${summary.cap}${summary.canAssignOne ? '' : ' (no more can be assigned)'}${approval}`,
    ...summary.episodes.map((episode) => `  ${episode}`),
    `week      start        contact   target`,
    ...summary.weeks.map((week) => `${week.week}  ${week.start}  ${fixed(week.contactHours)}  ${fixed(week.targetHours)}`),
    `average                ${fixed(summary.averageHours)}  ${fixed(summary.averageTargetHours)}`,
  ];
}
