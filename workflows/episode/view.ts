/**
 * What coordinators see in the Temporal Web UI: search attributes (to filter the list), a static
 * summary (the list's one line) and current details (a Markdown table of requirements). Ids, codes
 * and dates only: none of this is encrypted, so it must never carry PHI.
 */
import type { SearchAttributePair, SearchAttributeUpdatePair } from '@temporalio/common';
import {
  EpisodeOfCareId,
  EpisodeStatus,
  NextDueAt,
  NextRequirement,
  OverdueCount,
  OverdueRequirements,
  PatientId,
  SpecialistId,
  SupervisorId,
} from '../search-attributes.ts';
import type { EpisodeConfig } from '../../domain/episode/input.ts';
import { idOf } from '../../domain/fhir/ids.ts';
import { type EpisodeState, isOpen, type Requirement } from '../../domain/episode/state.ts';
import { failedWrites, writeFailureLabel } from '../../domain/episode/write-failure.ts';

/** The list view's one line, e.g. `Patient/p1 · EpisodeOfCare/e1 · admitted 2026-01-15`. */
export function staticSummaryOf(config: EpisodeConfig): string {
  return `${config.patient} · ${config.episodeOfCare} · admitted ${config.admissionDate}`;
}

function openRequirements(state: EpisodeState): Requirement[] {
  return Object.values(state.requirements)
    .filter((requirement) => isOpen(requirement) && requirement.code !== 'ESCALATION')
    .sort((a, b) => a.dueAt - b.dueAt);
}

function whoseEpisode(config: EpisodeConfig): SearchAttributePair[] {
  return [
    { key: PatientId, value: idOf(config.patient) },
    { key: EpisodeOfCareId, value: idOf(config.episodeOfCare) },
    { key: SpecialistId, value: idOf(config.specialist) },
    { key: SupervisorId, value: idOf(config.supervisor) },
  ];
}

/** Set with the start request, so the list finds an episode by patient or specialist before its first workflow task runs. */
export function startSearchAttributesOf(config: EpisodeConfig): SearchAttributePair[] {
  return [...whoseEpisode(config), { key: EpisodeStatus, value: 'active' }];
}

export function searchAttributesOf(state: EpisodeState): SearchAttributeUpdatePair[] {
  const open = openRequirements(state);
  const overdue = open.filter((requirement) => requirement.stage === 'overdue');
  const next = open.find((requirement) => requirement.stage !== 'overdue') ?? open[0];
  return [
    ...whoseEpisode(state.config),
    { key: EpisodeStatus, value: state.closedReason ? `closed:${state.closedReason}` : state.status },
    { key: NextRequirement, value: next ? next.code : null },
    { key: NextDueAt, value: next ? new Date(next.dueAt) : null },
    { key: OverdueCount, value: overdue.length },
    { key: OverdueRequirements, value: [...new Set(overdue.map((requirement) => requirement.code))] },
  ];
}

const STAGE_LABEL: Record<Requirement['stage'], string> = {
  scheduled: 'scheduled',
  open: 'open',
  'due-soon': '**due soon**',
  overdue: '**OVERDUE**',
  'met-on-time': 'met on time',
  'met-late': 'met late',
  waived: 'waived',
  superseded: 'superseded',
  discharged: 'cancelled (discharge)',
  withdrawn: 'withdrawn in EHR',
};

const RECENT_CLOSED_ROWS = 15;

function taskCell(requirement: Requirement): string {
  const task = requirement.taskId ? `Task/${requirement.taskId}` : '';
  if (!requirement.writeFailure) return task;
  return [task, `**${writeFailureLabel(requirement.writeFailure)}**`].filter(Boolean).join(' · ');
}

/** Open and scheduled requirements, then the most recently closed ones. */
export function currentDetailsOf(state: EpisodeState, now: number): string {
  const all = Object.values(state.requirements);
  const pending = all.filter((requirement) => requirement.stage === 'scheduled' || isOpen(requirement)).sort((a, b) => a.dueAt - b.dueAt);
  const closed = all
    .filter((requirement) => !pending.includes(requirement))
    .sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0))
    .slice(0, RECENT_CLOSED_ROWS);
  const row = (requirement: Requirement) =>
    `| ${requirement.code} | ${requirement.cycle} | ${requirement.dueDate} | ${STAGE_LABEL[requirement.stage]} | ${requirement.owner} | ${taskCell(requirement)} | ${requirement.evidence ?? requirement.reason ?? ''} |`;
  const unwritten = failedWrites(state).length;
  return [
    `### ${state.config.episodeOfCare} — ${state.closedReason ? `closed (${state.closedReason})` : state.status}`,
    `Admitted ${state.config.admissionDate}${state.dischargeDate ? ` · discharged ${state.dischargeDate}` : ''} · as of ${new Date(now).toISOString()}`,
    ...(unwritten > 0 ? ['', `**${unwritten} Task(s) not written: the FHIR server refused them or did not answer; retried on a growing backoff.**`] : []),
    '',
    '| requirement | cycle | due | status | owner | task | evidence / reason |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...pending.map(row),
    ...closed.map(row),
  ].join('\n');
}
