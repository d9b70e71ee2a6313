/**
 * The activities the episode workflow calls, as types only: `activities/` implements them, the
 * workflow proxies them. Payloads are ids, codes and dates.
 */
import type { RequirementCode } from '../vocabulary.ts';
import type { Requirement } from './state.ts';

export interface RequirementTaskWrite {
  patient: string;
  episodeOfCare: string;
  carePlan?: string;
  agency: string;
  requirement: Requirement;
  /** For an ESCALATION: the overdue requirement's Task id (`partOf` and `focus`). */
  escalatedTaskId?: string;
  /** The workflow's clock: `Task.lastModified` (and `authoredOn` of a new Task). */
  now: number;
}

export interface RequirementTaskWritten {
  taskId: string;
  versionId?: string;
  /** Set when the EHR has completed or cancelled the Task meanwhile: the write left it alone. */
  changedInEhr?: { status: 'completed' | 'cancelled'; owner?: string; at: string; versionId?: string };
}

export interface EvidenceSearchItem {
  key: string;
  code: RequirementCode;
  /** `Task.identifier.value` of our Task for this requirement. */
  taskIdentifier: string;
  /** Completed QuestionnaireResponses of this Questionnaire count. */
  questionnaire?: string;
  /** Finished face-to-face Encounters count. */
  faceToFace: boolean;
  /** ISO instants bounding where evidence counts. */
  from: string;
  to: string;
}

export interface EvidenceSearch {
  patient: string;
  items: EvidenceSearchItem[];
}

/** By item key: what met it (`QuestionnaireResponse/<id>`, `Encounter/<id>`, `Task/<id>`) and when (ISO). */
export type EvidenceFound = Record<string, { reference: string; at: string }>;

/**
 * The first detail of an activity's retryable failure when the FHIR server said when to come back
 * (`Retry-After`): the workflow cannot read `ApplicationFailure.nextRetryDelay` (it is not carried
 * back to workflow code), so the delay also travels here.
 */
export interface RetryLater {
  retryAfterMs: number;
}

export interface EpisodeActivities {
  writeRequirementTask(write: RequirementTaskWrite): Promise<RequirementTaskWritten>;
  findEvidence(search: EvidenceSearch): Promise<EvidenceFound>;
}
