/** The activity the polling workflow calls, as types only (`activities/fhir-changes.ts` implements it). */
import type { EpisodeDefaultsInput } from '../episode/episode-defaults.ts';
import type { ChangeCursor, StoredChangeCursor } from './cursor.ts';

export interface FhirChangesPoll {
  resourceType: string;
  /** Legacy cursors come in activities scheduled by the polling before cursor positions. */
  cursor: StoredChangeCursor;
  overlapMs: number;
  /** How many changes one activity run delivers at most; the workflow polls again at once when there are more. */
  maxChanges: number;
  episodeDefaults: EpisodeDefaultsInput;
  /** A backfill from this agency-local date (YYYY-MM-DD): it starts no episode whose EpisodeOfCare ended before it. */
  backfillSince?: string;
}

export interface FhirChangesPolled {
  /** Legacy cursors only in results recorded before cursor positions. */
  cursor: StoredChangeCursor;
  delivered: number;
  skipped: number;
  /** True when `maxChanges` stopped the run before the last change. */
  more: boolean;
}

/** What a run heartbeats after each change: where a retried attempt goes on from. */
export interface FhirChangesProgress {
  cursor: ChangeCursor;
  delivered: number;
  skipped: number;
}

export interface FhirChangeActivities {
  pollFhirChanges(poll: FhirChangesPoll): Promise<FhirChangesPolled>;
}
