/**
 * The episode's whole state: a plain, JSON-serialisable object that the reducers transform, the
 * query returns and continue-as-new carries. Instants are epoch ms; dates local `YYYY-MM-DD`.
 */
import type { Stage } from '../rules/index.ts';
import type { ContactKind, RequirementCode } from '../vocabulary.ts';
import type { EpisodeConfig } from './input.ts';
import type { SpecialistEvent } from '../specialist/events.ts';

export type { Stage };

export const OPEN_STAGES: readonly Stage[] = ['open', 'due-soon', 'overdue'];
export const MET_STAGES: readonly Stage[] = ['met-on-time', 'met-late'];

export interface Requirement {
  /** `<code>/<cycle>`; with the EpisodeOfCare id, the Task's identifier value. */
  key: string;
  code: RequirementCode;
  cycle: string;
  ruleId: string;
  title: string;
  opensAt: number;
  dueSoonAt: number;
  dueAt: number;
  dueDate: string;
  /** What the requirement is about: the EpisodeOfCare, a triggering Encounter, or (escalations) the overdue Task's requirement key. */
  focus: string;
  owner: string;
  stage: Stage;
  openedAt?: number;
  closedAt?: number;
  /** What met it: `QuestionnaireResponse/<id>`, `Encounter/<id>` or `Task/<id>`. */
  evidence?: string;
  /** When the evidence says it was met (on time when <= dueAt). */
  metAt?: number;
  /** Why a Task was cancelled, for `Task.statusReason`. */
  reason?: string;
  /** For ESCALATION: the key of the overdue requirement. */
  escalates?: string;
  taskId?: string;
  /** False while the Task in FHIR lags behind this requirement (the outbox). */
  synced: boolean;
  /** Set while the FHIR server refuses or does not answer the Task's write (see write-failure.ts). */
  writeFailure?: WriteFailure;
}

/** What the FHIR server answered to the last writes of a requirement's Task that failed. */
export interface WriteFailure {
  /** The HTTP status; 0 when the server did not answer. */
  status: number;
  /** The OperationOutcome's first issue code, the system error code, or `timeout`. */
  code: string;
  /** Failed writes in a row. */
  attempts: number;
  /** When the first of them failed. */
  since: number;
  /** When the write is tried again. */
  retryAt: number;
}

/** A message to a specialist's workflow not yet delivered (specialist-outbox.ts). */
export interface SpecialistMessage {
  /** `Practitioner/<id>` whose workflow hears it. */
  specialist: string;
  event: SpecialistEvent;
  /** Set while it cannot be delivered: the failures in a row and the retry (`status` 0, code of the failure). */
  failure?: WriteFailure;
}

export interface Contact {
  encounterId: string;
  kind: ContactKind;
  date: string;
}

export interface CompletedDocument {
  requirement: RequirementCode;
  cycle?: string;
  questionnaireResponseId: string;
  completedAt: number;
}

export interface HospitalStay {
  admittedOn?: string;
  releasedOn?: string;
}

export type EpisodeStatus = 'active' | 'discharged' | 'closed';

export interface EpisodeState {
  config: EpisodeConfig;
  status: EpisodeStatus;
  /** Insertion order is the order Tasks are written in (an overdue Task before its escalation). */
  requirements: Record<string, Requirement>;
  assessmentDates: string[];
  stays: Record<string, HospitalStay>;
  /** Recent contacts and unmatched documents, so evidence that arrives before its requirement still counts. */
  contacts: Contact[];
  documents: CompletedDocument[];
  /** Recent event ids, to ignore repeats. */
  seenEventIds: string[];
  /** Recurring deadlines are known up to this due instant. */
  recurringUntil: number;
  /** Whether the record was searched for evidence of requirements already due at start. */
  reconciled: boolean;
  dischargeDate?: string;
  closedReason?: 'discharge-plan-met' | 'discharge-plan-withdrawn' | 'grace-period-ended';
  /** Events applied since the last continue-as-new. */
  eventsThisRun: number;
  /**
   * Keys of closed requirements left behind at continue-as-new (their Tasks stay in FHIR): a trigger
   * seen again (an old Encounter edited in the EHR) does not open them a second time. Absent in
   * states carried by older runs.
   */
  retiredKeys?: string[];
  /**
   * The newest `meta.lastUpdated` applied, by FHIR resource (`Encounter/e1`), the most recent
   * resources only: an event from an older version changes nothing. Absent in states carried by older runs.
   */
  sourceVersions?: Record<string, string>;
  /** Messages to specialists not yet delivered; absent: the specialist was never told of this episode (runs before `tellsSpecialist`). */
  specialistOutbox?: SpecialistMessage[];
  /** Assignments told so far; numbers their event ids. */
  specialistAssignments?: number;
}

export function initialState(config: EpisodeConfig): EpisodeState {
  return {
    config,
    status: 'active',
    requirements: {},
    assessmentDates: [],
    stays: {},
    contacts: [],
    documents: [],
    seenEventIds: [],
    recurringUntil: 0,
    reconciled: false,
    eventsThisRun: 0,
  };
}

export function isOpen(requirement: Requirement): boolean {
  return OPEN_STAGES.includes(requirement.stage);
}

export function isPending(requirement: Requirement): boolean {
  return requirement.stage === 'scheduled' || isOpen(requirement);
}
