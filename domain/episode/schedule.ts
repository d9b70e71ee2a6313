/**
 * What the clock brings: recurring requirements coming into their lead time, the occurrences of a
 * hospital stay, and the end of the discharge grace period. `advance` is the reducer for "time
 * passed" (`advanceEpisode` the same on a draft, which every reducer ends with); `nextWakeUp` is
 * the one instant the workflow sleeps until.
 */
import { dischargeGraceEndsAt, recurringDeadlines, triggeredDeadlines } from '../rules/index.ts';
import { ALL_PATCHES, type EpisodePatches } from './patches.ts';
import { forgetOldEvidence, applyRememberedEvidence } from './evidence.ts';
import { addRequirement, advanceRequirement, asDeadline, nextTransitionAt, requirementsOfKind } from './requirements.ts';
import { type EpisodeState, isPending, MET_STAGES } from './state.ts';
import { failedWrites } from './write-failure.ts';
import { untoldMessages } from './specialist-outbox.ts';

const DAY_MS = 86_400_000;
/** Recurring deadlines are computed this far ahead, and again when half of that has passed. */
const RECURRING_LOOKAHEAD_MS = 400 * DAY_MS;
/** A hospital stay longer than this many weeks is not scheduled further (a data error, not a stay). */
const MAX_HOSPITAL_WEEKS = 260;

/** Only once the start was reconciled: before that, the current cycle is the start's to open (after a search of the record). */
function scheduleRecurring(state: EpisodeState, now: number, patches: EpisodePatches): void {
  if (state.status !== 'active' || state.recurringUntil - now > RECURRING_LOOKAHEAD_MS / 2) return;
  if (!state.reconciled && patches.recurringWaitsForStart) return;
  const until = now + RECURRING_LOOKAHEAD_MS;
  const episode = { admissionDate: state.config.admissionDate, assessmentDates: state.assessmentDates };
  for (const deadline of recurringDeadlines(episode, state.config.policy, { from: state.recurringUntil, until })) {
    addRequirement(state, deadline, state.config.episodeOfCare, now);
  }
  state.recurringUntil = until;
}

/** Every week of a current stay up to and including the next one to open, for each rule a hospital stay starts. */
function scheduleHospitalWeeks(state: EpisodeState, now: number): void {
  if (state.status !== 'active') return;
  for (const [encounterId, stay] of Object.entries(state.stays)) {
    if (!stay.admittedOn || stay.releasedOn) continue;
    for (let week = 1; week <= MAX_HOSPITAL_WEEKS; week++) {
      const deadlines = triggeredDeadlines('hospital-stay', { date: stay.admittedOn, encounterId }, state.config.policy, week);
      for (const deadline of deadlines) addRequirement(state, deadline, `Encounter/${encounterId}`, now);
      if (deadlines.every((deadline) => deadline.opensAt > now)) break;
    }
  }
}

function graceEndsAt(state: EpisodeState): number | undefined {
  const plan = requirementsOfKind(state, 'discharge').find(isPending);
  return plan && dischargeGraceEndsAt(asDeadline(plan), state.config.policy);
}

/**
 * A discharged episode ends when its Discharge Plan is met or withdrawn, or when the grace period
 * after its due date ends; not before the record was searched for the plan (a discharge long past
 * may be the first news of the episode).
 */
function closeDischargedEpisode(state: EpisodeState, now: number, patches: EpisodePatches): void {
  if (state.status !== 'discharged') return;
  const [plan] = requirementsOfKind(state, 'discharge');
  if (!plan) return;
  if (MET_STAGES.includes(plan.stage)) Object.assign(state, { status: 'closed', closedReason: 'discharge-plan-met' });
  else if (!isPending(plan)) Object.assign(state, { status: 'closed', closedReason: 'discharge-plan-withdrawn' });
  else if (now > graceEndsAt(state)! && (state.reconciled || !patches.dischargedStartLooksForDischargePlanOnly)) {
    Object.assign(state, { status: 'closed', closedReason: 'grace-period-ended' });
  }
}

/** Brings the whole episode up to `now`. Mutates the draft it is given. */
export function advanceEpisode(state: EpisodeState, now: number, patches: EpisodePatches = ALL_PATCHES): void {
  scheduleRecurring(state, now, patches);
  scheduleHospitalWeeks(state, now);
  for (const requirement of Object.values(state.requirements)) advanceRequirement(state, requirement, now);
  applyRememberedEvidence(state, now, patches);
  forgetOldEvidence(state, now);
  closeDischargedEpisode(state, now, patches);
}

/** The reducer for "time passed". */
export function advance(state: EpisodeState, now: number, patches: EpisodePatches = ALL_PATCHES): EpisodeState {
  const next: EpisodeState = JSON.parse(JSON.stringify(state));
  advanceEpisode(next, now, patches);
  return next;
}

export interface WakeUp {
  at: number;
  /** What the timer waits for, in ids and codes (it is shown in the Web UI). */
  summary: string;
}

export function nextWakeUp(state: EpisodeState, now: number): WakeUp | undefined {
  const retries = [
    ...failedWrites(state).map((requirement): WakeUp => ({ at: requirement.writeFailure!.retryAt, summary: `${requirement.key} write retry` })),
    ...untoldMessages(state).map((message): WakeUp => ({ at: message.failure!.retryAt, summary: `${message.event.type} to ${message.specialist} retry` })),
  ];
  if (state.status === 'closed') return earliestAfter(retries, now);
  const candidates: WakeUp[] = [...retries];
  const transition = nextTransitionAt(state, now);
  if (transition) {
    const requirement = state.requirements[transition.key]!;
    const what = transition.at === requirement.opensAt ? 'opens' : transition.at === requirement.dueSoonAt ? 'due soon' : 'overdue';
    candidates.push({ at: transition.at, summary: `${requirement.key} ${what}` });
  }
  if (state.status === 'active') {
    candidates.push({ at: state.recurringUntil - RECURRING_LOOKAHEAD_MS / 2 + 1, summary: 'schedule recurring requirements' });
  }
  const graceEnd = graceEndsAt(state);
  if (state.status === 'discharged' && graceEnd !== undefined) {
    candidates.push({ at: graceEnd + 1, summary: 'discharge plan grace period ends' });
  }
  return earliestAfter(candidates, now);
}

function earliestAfter(candidates: WakeUp[], now: number): WakeUp | undefined {
  return candidates.filter((candidate) => candidate.at > now).sort((a, b) => a.at - b.at)[0];
}
