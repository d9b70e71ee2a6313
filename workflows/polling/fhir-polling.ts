/**
 * One workflow per FHIR source: polls each watched type for what changed since its cursor and hands
 * the changes to their episodes (through the same mapping as the subscription endpoint). The
 * cursors live in workflow state and travel through continue-as-new; the episodes dedupe by event
 * id, so polling next to subscriptions, or a retried poll, has no double effect.
 */
import { condition, continueAsNew, defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { EpisodeDefaultsInput } from '../../intake/episode-defaults.ts';
import type { FhirChangeActivities } from './activity-contract.ts';
import { type ChangeCursor, EMPTY_CURSOR } from './cursor.ts';

export interface FhirPollingInput {
  /** A name for the source, part of the workflow id (`fhir-polling-<source>`). */
  source: string;
  resourceTypes: string[];
  intervalMs: number;
  /** How far before its cursor each search starts again (equal or late timestamps). */
  overlapMs?: number;
  maxChangesPerActivity?: number;
  episodeDefaults: EpisodeDefaultsInput;
  /** By resource type; carried through continue-as-new. */
  cursors?: Record<string, ChangeCursor>;
}

export interface FhirPollingState {
  cursors: Record<string, ChangeCursor>;
  polls: number;
  delivered: number;
  skipped: number;
}

export const pollNow = defineSignal('pollNow');
export const getPollingState = defineQuery<FhirPollingState>('getPollingState');

export const DEFAULT_OVERLAP_MS = 60_000;
const POLLS_PER_RUN = 200;

const { pollFhirChanges } = proxyActivities<FhirChangeActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export function fhirPollingWorkflowId(source: string): string {
  return `fhir-polling-${source}`;
}

export async function fhirPolling(input: FhirPollingInput): Promise<never> {
  const state: FhirPollingState = { cursors: { ...input.cursors }, polls: 0, delivered: 0, skipped: 0 };
  let requested = false;
  setHandler(pollNow, () => void (requested = true));
  setHandler(getPollingState, () => state);

  for (;;) {
    requested = false;
    for (const resourceType of input.resourceTypes) {
      for (let more = true; more; ) {
        const result = await pollFhirChanges({
          resourceType,
          cursor: state.cursors[resourceType] ?? EMPTY_CURSOR,
          overlapMs: input.overlapMs ?? DEFAULT_OVERLAP_MS,
          maxChanges: input.maxChangesPerActivity ?? 500,
          episodeDefaults: input.episodeDefaults,
        });
        state.cursors[resourceType] = result.cursor;
        state.delivered += result.delivered;
        state.skipped += result.skipped;
        more = result.more;
      }
    }
    state.polls += 1;
    if (state.polls >= POLLS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof fhirPolling>({ ...input, cursors: state.cursors });
    }
    await condition(() => requested, input.intervalMs);
  }
}
