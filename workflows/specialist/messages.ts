/**
 * How episodes, the intake and the operator CLI talk to a specialist's workflow
 * (`specialist-<Practitioner id>`, workflow type `specialistWorkload`).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { SpecialistEvent } from '../../domain/specialist/events.ts';

/** Sent with signal-with-start by the episodes' `tellSpecialist` activity and by the intake; malformed ones are logged (paths only) and ignored. */
export const specialistEvent = defineSignal<[SpecialistEvent]>('specialistEvent');

export interface AssignmentRequest {
  episodeOfCare: string;
  /** `Practitioner/<supervisor id>` who approves an assignment past the cap. */
  overrideBy?: string;
  at: string;
}

export interface AssignmentAnswer {
  accepted: boolean;
  caseload: number;
  cap: number;
  /** Why it was refused: `caseload 30 of cap 30: an assignment past the cap needs --override-by Practitioner/<supervisor id>`. */
  reason?: string;
}

/**
 * The operator CLI's assignment: refused past the cap without an override. Accepted, the episode
 * counts at once (so that two assignments at once cannot both pass), and an override is recorded
 * like a supervisor's approval in the EHR.
 */
export const requestAssignment = defineUpdate<AssignmentAnswer, [AssignmentRequest]>('requestAssignment');

export interface WeekHours {
  /** ISO week, e.g. `2026-W47`. */
  week: string;
  /** Its Monday, the agency's local date. */
  start: string;
  contactHours: number;
  targetHours: number;
}

/** The CLI's `caseload --json` and the intake's `/caseload` answer, hours to two decimals. */
export interface CaseloadSummary {
  specialist: string;
  caseload: number;
  cap: number;
  /** Whether one more assignment stays at or under the cap. */
  canAssignOne: boolean;
  episodes: string[];
  /** The last `weeks` complete weeks (default: the policy's rolling window), oldest first; the current week is not one yet. */
  weeks: WeekHours[];
  /** Over the policy's rolling window of complete weeks, whatever `weeks` shows. */
  averageHours: number;
  averageTargetHours: number;
  /** The approval of a caseload past the cap in effect, if any. */
  approvedBy?: { practitioner: string; at: string };
}

export const getCaseload = defineQuery<CaseloadSummary, [{ weeks?: number }?]>('getCaseload');
