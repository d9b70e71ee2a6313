/**
 * What starts a specialist's workflow: FHIR references and the agency policy only. The first
 * episode that tells the specialist anything starts it (signal-with-start), with its own references.
 */
import type { AgencyPolicy } from '../rules/index.ts';
import { idOf } from '../fhir/ids.ts';

export interface SpecialistInput {
  /** `Practitioner/<id>` (or `PractitionerRole/<id>`) whose caseload and contact hours this workflow keeps. */
  specialist: string;
  /** Owner of the CASELOAD and CONTACT-HOURS Tasks; an episode's newer supervisor replaces it. */
  supervisor: string;
  /** `Organization/<id>`: the Tasks' requester and the MeasureReports' reporter. */
  agency: string;
  /** Agency overrides; `{}` is the policy of requirements.md (caseload cap 30, 25 hours a week…). */
  policy?: Partial<AgencyPolicy>;
  /** Continue-as-new once a run's history reaches this many events (or the server suggests it). */
  historyEventsPerRun?: number;
}

/** `specialist-<Practitioner id>`: one workflow per specialist. */
export function specialistWorkflowId(specialist: string): string {
  return `specialist-${idOf(specialist)}`;
}
