/** The activity the polling workflow calls, as types only (`activities/fhir-changes.ts` implements it). */
import type { EpisodeDefaultsInput } from '../../intake/episode-defaults.ts';
import type { ChangeCursor } from './cursor.ts';

export interface FhirChangesPoll {
  resourceType: string;
  cursor: ChangeCursor;
  overlapMs: number;
  /** How many changes one activity run delivers at most; the workflow polls again at once when there are more. */
  maxChanges: number;
  episodeDefaults: EpisodeDefaultsInput;
}

export interface FhirChangesPolled {
  cursor: ChangeCursor;
  delivered: number;
  skipped: number;
  /** True when `maxChanges` stopped the run before the last page. */
  more: boolean;
}

export interface FhirChangeActivities {
  pollFhirChanges(poll: FhirChangesPoll): Promise<FhirChangesPolled>;
}
