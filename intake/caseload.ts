/**
 * A specialist's caseload as the intake and the operator CLI read it: the `getCaseload` query of
 * `specialist-<Practitioner id>`. A specialist no episode has told anything yet has no workflow:
 * caseload 0 under the agency policy's cap.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { AgencyPolicy } from '../domain/rules/index.ts';
import { specialistWorkflowId } from '../domain/specialist/input.ts';
import { type CaseloadSummary, getCaseload } from '../workflows/specialist/messages.ts';

export async function caseloadOf(temporal: Client, practitionerId: string, policy: AgencyPolicy, weeks?: number): Promise<CaseloadSummary> {
  const specialist = `Practitioner/${practitionerId}`;
  try {
    const handle = temporal.workflow.getHandle(specialistWorkflowId(specialist));
    return await (weeks === undefined ? handle.query(getCaseload) : handle.query(getCaseload, { weeks }));
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    const cap = policy.caseload.cap;
    return { specialist, caseload: 0, cap, canAssignOne: cap >= 1, episodes: [], weeks: [], averageHours: 0, averageTargetHours: 0 };
  }
}

/** The intake's `GET /caseload/<id>` answer: whether an EHR screen may assign one more. */
export function caseloadAnswer(summary: CaseloadSummary): { specialist: string; caseload: number; cap: number; canAssignOne: boolean } {
  return { specialist: summary.specialist, caseload: summary.caseload, cap: summary.cap, canAssignOne: summary.canAssignOne };
}
