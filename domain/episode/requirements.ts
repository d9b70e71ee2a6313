/**
 * Moving one requirement through its life: scheduled → open → due soon → overdue (escalated) →
 * met on time | met late | waived | superseded | discharged | withdrawn. Functions here mutate
 * the draft state handed to them by the reducers (which clone first), and mark each touched
 * requirement unsynced so its Task gets written.
 */
import { DEADLINE_RULES, type Deadline, type DeadlineCode, ruleOf, type RuleKind, stageAt, timeliness } from '../rules/index.ts';
import type { RequirementCode } from '../vocabulary.ts';
import { ALL_PATCHES, type EpisodePatches } from './patches.ts';
import { type EpisodeState, isOpen, isPending, type Requirement } from './state.ts';

/** The rules' view of a requirement (escalations have no rule of their own). */
export function asDeadline(requirement: Requirement): Deadline {
  const { code, cycle, opensAt, dueSoonAt, dueAt, dueDate } = requirement;
  const ruleCode = code as DeadlineCode;
  return { code: ruleCode, cycle, opensAt, dueSoonAt, dueAt, dueDate, ruleId: ruleCode };
}

export function requirementKey(code: RequirementCode, cycle: string): string {
  return `${code}/${cycle}`;
}

/**
 * Adds a requirement for `deadline` unless one with its key exists or existed (closed and retired at
 * continue-as-new); returns it (new or existing), undefined when retired.
 */
export function addRequirement(state: EpisodeState, deadline: Deadline, focus: string, now: number): Requirement | undefined {
  const key = requirementKey(deadline.code, deadline.cycle);
  const existing = state.requirements[key];
  if (existing) return existing;
  if (state.retiredKeys?.includes(key)) return undefined;
  const requirement: Requirement = {
    key,
    code: deadline.code,
    cycle: deadline.cycle,
    ruleId: deadline.ruleId,
    title: DEADLINE_RULES[deadline.code].title,
    opensAt: deadline.opensAt,
    dueSoonAt: deadline.dueSoonAt,
    dueAt: deadline.dueAt,
    dueDate: deadline.dueDate,
    focus,
    owner: state.config.specialist,
    stage: 'scheduled',
    synced: true,
  };
  state.requirements[key] = requirement;
  advanceRequirement(state, requirement, now);
  return requirement;
}

/** Applies the clock to one requirement: opens it, marks it due soon, or overdue with an escalation. */
export function advanceRequirement(state: EpisodeState, requirement: Requirement, now: number): void {
  if (!isPending(requirement) || requirement.code === 'ESCALATION') return;
  const stage = stageAt(requirement, now);
  if (stage === requirement.stage) return;
  if (requirement.stage === 'scheduled') requirement.openedAt = now;
  requirement.stage = stage;
  requirement.synced = false;
  if (stage === 'overdue') escalate(state, requirement, now);
}

/**
 * An ESCALATION Task owned by the supervisor. EHRs show worklists by Task owner, so owning the
 * Task is what puts the overdue requirement in front of the supervisor.
 */
function escalate(state: EpisodeState, overdue: Requirement, now: number): void {
  const key = requirementKey('ESCALATION', overdue.key);
  if (state.requirements[key]) return;
  state.requirements[key] = {
    key,
    code: 'ESCALATION',
    cycle: overdue.key,
    ruleId: overdue.ruleId,
    title: `Overdue: ${overdue.title}`,
    opensAt: overdue.opensAt,
    dueSoonAt: overdue.dueSoonAt,
    dueAt: overdue.dueAt,
    dueDate: overdue.dueDate,
    focus: overdue.key,
    owner: state.config.supervisor,
    stage: 'overdue',
    openedAt: now,
    escalates: overdue.key,
    synced: false,
  };
}

function escalationOf(state: EpisodeState, requirement: Requirement): Requirement | undefined {
  return state.requirements[requirementKey('ESCALATION', requirement.key)];
}

/** Met by `evidence` at `at`: on time when at or before the end of the due day. */
export function meet(state: EpisodeState, requirement: Requirement, evidence: string, at: number, now: number): void {
  if (!isPending(requirement)) return;
  if (requirement.stage === 'scheduled') requirement.openedAt = now;
  const stage = timeliness(requirement, at);
  Object.assign(requirement, { stage, evidence, metAt: at, closedAt: now, synced: false });
  closeEscalation(state, requirement, { stage, evidence, metAt: at, closedAt: now });
}

/** Closes the escalation of a requirement as it closes; one whose Task was never written just disappears. */
function closeEscalation(state: EpisodeState, requirement: Requirement, outcome: Partial<Requirement>): void {
  const escalation = escalationOf(state, requirement);
  if (!escalation || !isOpen(escalation)) return;
  if (escalation.taskId === undefined) delete state.requirements[escalation.key];
  else Object.assign(escalation, outcome, { synced: false });
}

/**
 * An escalation whose Task was being written when its requirement closed (which drops an escalation
 * not written yet): closed the same way, with the Task the write made, to be written again so that
 * the supervisor's Task does not stay open. Undefined when its requirement is still pending.
 */
export function escalationClosedMeanwhile(state: EpisodeState, escalation: Requirement, taskId: string): Requirement | undefined {
  const overdue = escalation.escalates ? state.requirements[escalation.escalates] : undefined;
  if (!overdue || isPending(overdue)) return undefined;
  const { stage, evidence, metAt, reason, closedAt } = overdue;
  return { ...escalation, stage, evidence, metAt, reason, closedAt, taskId, synced: false };
}

/**
 * Closes a requirement that will not be met: waived, superseded, discharged or withdrawn.
 * One never opened, or opened but whose Task was not written yet, just leaves the schedule: no Task
 * is born cancelled (it stays in the state, and in the Web UI's details, with its reason). A write
 * in flight meanwhile is followed by the cancelling one (the workflow sees the requirement changed).
 */
export function close(
  state: EpisodeState,
  requirement: Requirement,
  stage: 'waived' | 'superseded' | 'discharged' | 'withdrawn',
  reason: string,
  now: number,
  patches: EpisodePatches = ALL_PATCHES,
): void {
  if (!isPending(requirement)) return;
  const writeTask = isOpen(requirement) && (requirement.taskId !== undefined || !patches.noTaskBornCancelled);
  Object.assign(requirement, { stage, reason, closedAt: now, synced: !writeTask });
  closeEscalation(state, requirement, { stage, reason, closedAt: now });
}

/** The requirements, pending or not, whose rule is of `kind` (program discharge: the Discharge Plan). */
export function requirementsOfKind(state: EpisodeState, kind: RuleKind): Requirement[] {
  return Object.values(state.requirements).filter((requirement) => ruleOf(requirement.code)?.kind === kind);
}

/** The next instant at which the clock changes some requirement's stage, if any. */
export function nextTransitionAt(state: EpisodeState, now: number): { at: number; key: string } | undefined {
  let next: { at: number; key: string } | undefined;
  for (const requirement of Object.values(state.requirements)) {
    if (!isPending(requirement) || requirement.code === 'ESCALATION') continue;
    const at = [requirement.opensAt, requirement.dueSoonAt, requirement.dueAt + 1].find((instant) => instant > now);
    if (at !== undefined && (!next || at < next.at)) next = { at, key: requirement.key };
  }
  return next;
}
