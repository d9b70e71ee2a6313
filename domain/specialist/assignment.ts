/**
 * The operator CLI's assignment (`requestAssignment`): refused past the cap unless a supervisor
 * overrides it. Accepted, the episode counts at once, so two assignments at once cannot both pass
 * the last place; an override approves the caseload past the cap like the supervisor's completion
 * of the CASELOAD Task in the EHR.
 */
import { referencePattern } from '../fhir/ids.ts';
import { afterCaseloadChange, caseloadCount } from './caseload.ts';
import type { SpecialistState } from './state.ts';

/** The `requestAssignment` update's argument (workflows/specialist/messages.ts). */
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

const EPISODE = referencePattern('EpisodeOfCare');
const PRACTITIONER = referencePattern('Practitioner|PractitionerRole');

/** The update's validator: field paths only. */
export function checkAssignmentRequest(request: unknown): AssignmentRequest {
  const fields = (request ?? {}) as Partial<Record<keyof AssignmentRequest, unknown>>;
  if (typeof fields.episodeOfCare !== 'string' || !EPISODE.test(fields.episodeOfCare)) throw new Error('assignment: episodeOfCare: not an EpisodeOfCare reference');
  if (fields.overrideBy !== undefined && (typeof fields.overrideBy !== 'string' || !PRACTITIONER.test(fields.overrideBy))) {
    throw new Error('assignment: overrideBy: not a Practitioner reference');
  }
  if (typeof fields.at !== 'string' || Number.isNaN(Date.parse(fields.at))) throw new Error('assignment: at: not an instant');
  return fields as AssignmentRequest;
}

export function assignmentOf(state: SpecialistState, request: AssignmentRequest, now: number): { answer: AssignmentAnswer; state: SpecialistState } {
  const cap = state.config.policy.caseload.cap;
  const caseload = caseloadCount(state);
  // Already on the caseload: nothing to refuse. A new one counts until its episode tells its level of care.
  if (state.episodes[request.episodeOfCare]) return { answer: { accepted: true, caseload, cap }, state };
  if (caseload + 1 > cap && !request.overrideBy) {
    const reason = `caseload ${caseload} of cap ${cap}: an assignment past the cap needs --override-by Practitioner/<supervisor id>`;
    return { answer: { accepted: false, caseload, cap, reason }, state };
  }
  const episode = { episodeOfCare: request.episodeOfCare, assignedAt: Date.parse(request.at) };
  const assigned = { ...state, episodes: { ...state.episodes, [request.episodeOfCare]: episode } };
  const approval = caseload + 1 > cap && request.overrideBy ? { practitioner: request.overrideBy, at: now } : undefined;
  const next = afterCaseloadChange(assigned, now, request.episodeOfCare, approval);
  return { answer: { accepted: true, caseload: caseloadCount(next), cap }, state: next };
}
