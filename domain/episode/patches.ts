/**
 * Changes of the episode's logic that histories recorded before them did not make. The reducers
 * take the answers as plain booleans (they stay pure, and tests pass `ALL_PATCHES`); the
 * workflow answers each with `patched(<id>)`, read only at the branch where old and new differ,
 * so a history recorded without the marker replays with the old logic and live runs switch over.
 */
export interface EpisodePatches {
  /** `staff-reassigned` naming the practitioner already in that role changes nothing (old: every open Task of the role was re-owned and re-written). */
  readonly reassignOnlyOnChange: boolean;
  /** A requirement closed before its Task was written gets no Task (old: it was written, born cancelled). */
  readonly noTaskBornCancelled: boolean;
  /** A remembered document meets every code it is evidence for once they open, as a live one does (old: the first opened, so a Quarterly Review met the CIP review and left the review itself open). */
  readonly rememberedDocumentMeetsEveryCode: boolean;
  /** Task writes stop once the run is long enough to continue as new; the next run writes the rest (old: a steady stream of events kept the writing, and the run, going without bound). */
  readonly writesYieldToContinueAsNew: boolean;
  /** An episode discharged before its start was reconciled (the intake started it with the discharge) looks only for its Discharge Plan (old: it opened the admission's and current cycle's requirements, overdue, in a discharged episode, and left their Tasks open at its end). */
  readonly dischargedStartLooksForDischargePlanOnly: boolean;
  /** Recurring requirements are scheduled only once the start was reconciled (old: an event before it, as signal-with-start always brings, scheduled every one since admission, all overdue). */
  readonly recurringWaitsForStart: boolean;
  /** Task writes and the start's evidence search run as a local activity first (one marker in history); a retryable failure hands the call to the ordinary activity (old: always the ordinary activity, three events and a second workflow task each). */
  readonly writesLocallyFirst: boolean;
  /** Wake-up timers keep running across passes of the loop, cancelled only once the wake-up moved past them (old: every pass cancelled the timer and started a new one). */
  readonly keepsWakeUpTimer: boolean;
  /** Search attributes are upserted only when they differ from the last upsert of the run (old: on every pass of the loop). */
  readonly upsertsSearchAttributesOnChange: boolean;
  /** A Task write the FHIR server refuses (any 4xx) or keeps failing is recorded on its requirement and tried again on a growing backoff while the episode goes on; the ordinary activity gives up after a few attempts (old: a refusal failed the workflow, and a server that kept failing held every other write and timer behind the retries). */
  readonly refusedWritesWaitOnBackoff: boolean;
  /** The episode tells its specialist's workflow its assignment, release and contacts with their time (specialist-outbox.ts); a running episode tells its assignment on its next pass (old: no specialist heard of it). */
  readonly tellsSpecialist: boolean;
}

export const PATCH_IDS: Record<keyof EpisodePatches, string> = {
  reassignOnlyOnChange: 'reassign-only-on-change',
  noTaskBornCancelled: 'no-task-born-cancelled',
  rememberedDocumentMeetsEveryCode: 'remembered-document-meets-every-code',
  writesYieldToContinueAsNew: 'writes-yield-to-continue-as-new',
  dischargedStartLooksForDischargePlanOnly: 'discharged-start-looks-for-discharge-plan-only',
  recurringWaitsForStart: 'recurring-waits-for-start',
  writesLocallyFirst: 'writes-locally-first',
  keepsWakeUpTimer: 'keeps-wake-up-timer',
  upsertsSearchAttributesOnChange: 'upserts-search-attributes-on-change',
  refusedWritesWaitOnBackoff: 'refused-writes-wait-on-backoff',
  tellsSpecialist: 'tells-specialist',
};

/**
 * Patches retired to `deprecatePatch` (CONTRIBUTING.md, "Patches"): the new logic is the only one,
 * and the workflow calls `deprecatePatch(<id>)` where the old and new logic parted, so that histories
 * carrying the marker still replay.
 */
export const DEPRECATED_PATCH_IDS = {
  /** An escalation dropped while its Task was being written is closed and written again (old: that Task stayed open). */
  closesEscalationWrittenMeanwhile: 'closes-escalation-written-meanwhile',
  /** An event from a FHIR resource version older than one already applied changes nothing (old: it was applied, so a late old EpisodeOfCare version handed the episode back to the previous specialist). */
  ignoresOlderSourceVersions: 'ignores-older-source-versions',
} as const;

/** The newest patch of the episode workflow, patched or deprecated: new replay fixtures are named after it. A new patch takes its place. */
export const NEWEST_PATCH_ID: string = PATCH_IDS.tellsSpecialist;

export const ALL_PATCHES: EpisodePatches = {
  reassignOnlyOnChange: true,
  noTaskBornCancelled: true,
  rememberedDocumentMeetsEveryCode: true,
  writesYieldToContinueAsNew: true,
  dischargedStartLooksForDischargePlanOnly: true,
  recurringWaitsForStart: true,
  writesLocallyFirst: true,
  keepsWakeUpTimer: true,
  upsertsSearchAttributesOnChange: true,
  refusedWritesWaitOnBackoff: true,
  tellsSpecialist: true,
};
export const NO_PATCHES: EpisodePatches = {
  reassignOnlyOnChange: false,
  noTaskBornCancelled: false,
  rememberedDocumentMeetsEveryCode: false,
  writesYieldToContinueAsNew: false,
  dischargedStartLooksForDischargePlanOnly: false,
  recurringWaitsForStart: false,
  writesLocallyFirst: false,
  keepsWakeUpTimer: false,
  upsertsSearchAttributesOnChange: false,
  refusedWritesWaitOnBackoff: false,
  tellsSpecialist: false,
};
