/**
 * How episodes, the intake and the operator CLI talk to a specialist's workflow
 * (`specialist-<Practitioner id>`, workflow type `specialistWorkload`).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { SpecialistEvent } from '../../domain/specialist/events.ts';
import type { AssignmentAnswer, AssignmentRequest } from '../../domain/specialist/assignment.ts';
import type { CaseloadSummary } from '../../domain/specialist/summary.ts';

/** Sent with signal-with-start by the episodes' `tellSpecialist` activity and by the intake; malformed ones are logged (paths only) and ignored. */
export const specialistEvent = defineSignal<[SpecialistEvent]>('specialistEvent');

export type { AssignmentAnswer, AssignmentRequest } from '../../domain/specialist/assignment.ts';

/**
 * The operator CLI's assignment: refused past the cap without an override. Accepted, the episode
 * counts at once (so that two assignments at once cannot both pass), and an override is recorded
 * like a supervisor's approval in the EHR.
 */
export const requestAssignment = defineUpdate<AssignmentAnswer, [AssignmentRequest]>('requestAssignment');

export type { CaseloadSummary, WeekHours } from '../../domain/specialist/summary.ts';

export const getCaseload = defineQuery<CaseloadSummary, [{ weeks?: number }?]>('getCaseload');
