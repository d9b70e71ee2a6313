/**
 * What supervisors see of a specialist's workflow in the Temporal Web UI: search attributes, a
 * static summary and current details. Ids and numbers only: none of it is encrypted.
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { Caseload, CaseloadOverCap, ContactHoursAverage, SpecialistId } from '../search-attributes.ts';
import { idOf } from '../../domain/fhir/ids.ts';
import { caseloadCount, countedEpisodes, isOverCap } from '../../domain/specialist/caseload.ts';
import { figuresOf, reportedWeeks, rollingAverage } from '../../domain/specialist/contact-hours.ts';
import { failedWritesOf } from '../../domain/specialist/outbox.ts';
import { isOpenTask, type SpecialistState } from '../../domain/specialist/state.ts';
import { writeFailureLabel } from '../../domain/episode/write-failure.ts';

const WEEKS_SHOWN = 8;
const hours = (value: number) => value.toFixed(2);

/** `Practitioner/s1 · caseload 31/30 · 22.50 h/week avg` (no average until a week is complete). */
export function specialistSummaryOf(state: SpecialistState): string {
  const average = rollingAverage(state, true);
  return [
    state.config.specialist,
    `caseload ${caseloadCount(state)}/${state.config.policy.caseload.cap}`,
    average ? `${hours(average.averageHours)} h/week avg` : 'no complete week yet',
  ].join(' · ');
}

export function specialistSearchAttributesOf(state: SpecialistState): SearchAttributeUpdatePair[] {
  return [
    { key: SpecialistId, value: idOf(state.config.specialist) },
    { key: Caseload, value: caseloadCount(state) },
    { key: ContactHoursAverage, value: rollingAverage(state, true)?.averageHours ?? 0 },
    { key: CaseloadOverCap, value: isOverCap(state) },
  ];
}

export function specialistDetailsOf(state: SpecialistState, now: number): string {
  const weeks = reportedWeeks(state).slice(-WEEKS_SHOWN).map((week) => figuresOf(state, week));
  const open = state.tasks.filter(isOpenTask);
  const failed = failedWritesOf(state);
  return [
    `### ${specialistSummaryOf(state)}`,
    `Supervisor ${state.supervisor} · as of ${new Date(now).toISOString()}${state.approval ? ` · past the cap approved by ${state.approval.practitioner} at ${new Date(state.approval.at).toISOString()}` : ''}`,
    '',
    `**Caseload** (${countedEpisodes(state).length} counted): ${countedEpisodes(state).map((episode) => episode.episodeOfCare).join(', ') || 'none'}`,
    '',
    '| week | start | contact hours | target | contacts | report |',
    '| --- | --- | --- | --- | --- | --- |',
    ...weeks.map((week) => {
      const report = state.weeks[week.week]?.report;
      return `| ${week.week} | ${week.start} | ${hours(week.contactHours)} | ${hours(week.targetHours)} | ${week.contacts} | ${report?.reportId ? `MeasureReport/${report.reportId}` : ''}${report?.synced ? '' : ' (to write)'} |`;
    }),
    '',
    `**Open Tasks**: ${open.map((task) => `${task.code}/${task.n} ${task.businessStatus}${task.taskId ? ` (Task/${task.taskId})` : ''}`).join(', ') || 'none'}`,
    ...(failed.length > 0 ? ['', '**Not written** (retried on a growing backoff):', ...failed.map(({ what, failure }) => `- ${what}: ${writeFailureLabel(failure)}`)] : []),
  ].join('\n');
}
