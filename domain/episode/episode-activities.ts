/**
 * The activities the episode workflow calls, as types only: `activities/` implements them, the
 * workflow proxies them. Payloads are ids, codes and dates.
 */
import type { ContactKind, RequirementCode } from '../vocabulary.ts';
import type { Requirement } from './state.ts';
import type { SpecialistEvent } from '../specialist/events.ts';
import type { SpecialistInput } from '../specialist/input.ts';

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
  /** Finished face-to-face Encounters count (in inputs recorded before `contactKinds`, the only contact evidence). */
  faceToFace: boolean;
  /** Finished contact Encounters of these kinds count. */
  contactKinds?: ContactKind[];
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
 * What a FHIR server answered instead of doing a request: the first detail of the activity's
 * failure (the workflow cannot read `ApplicationFailure.nextRetryDelay`, so `Retry-After` travels
 * here too). Codes only, never the server's text.
 */
export interface FhirRefusal {
  /** The HTTP status; 0 when the server did not answer. */
  status: number;
  /** The OperationOutcome's first issue code (`processing`, `not-found`…), or the system error code when there was no answer. */
  code: string;
  retryAfterMs?: number;
}

/** One message to a specialist's workflow, with what starts that workflow when it is not running. */
export interface SpecialistTelling {
  input: SpecialistInput;
  event: SpecialistEvent;
}

export interface EpisodeActivities {
  writeRequirementTask(write: RequirementTaskWrite): Promise<RequirementTaskWritten>;
  findEvidence(search: EvidenceSearch): Promise<EvidenceFound>;
  /** Signal-with-start of `specialist-<id>` (workflow type `specialistWorkload`) with `specialistEvent`. */
  tellSpecialist(telling: SpecialistTelling): Promise<void>;
}
