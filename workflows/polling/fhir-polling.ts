/**
 * One workflow per FHIR source: polls each watched type for what changed since its cursor and hands
 * the changes to their episodes (through the same mapping as the subscription endpoint). The
 * cursors (cursor.ts) live in workflow state and travel through continue-as-new; the episodes
 * dedupe by event id, so polling next to subscriptions, or a retried poll, has no double effect.
 *
 * A type is first read from the time the source was started (`since`), never the whole EHR. A
 * backfill (the `backfill` signal, `care-episodes backfill --since`) reads older changes from a
 * day on with cursors of its own, one activity run per type between polls, and starts no episode
 * whose EpisodeOfCare ended before that day.
 */
import { condition, continueAsNew, defineQuery, defineSignal, deprecatePatch, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { type EpisodeDefaultsInput, episodeDefaultsSchema } from '../../domain/episode/episode-defaults.ts';
import { isLocalDate, startOfLocalDay } from '../../domain/rules/index.ts';
import type { FhirChangeActivities, FhirChangesPolled } from '../../domain/polling/polling-activities.ts';
import { type ChangeCursor, currentCursor, cursorFrom, type StoredChangeCursor } from '../../domain/polling/cursor.ts';

export interface FhirPollingInput {
  /** A name for the source, part of the workflow id (`fhir-polling-<source>`). */
  source: string;
  resourceTypes: string[];
  intervalMs: number;
  /** How far before its cursor each search starts again (equal or late timestamps). */
  overlapMs?: number;
  maxChangesPerActivity?: number;
  episodeDefaults: EpisodeDefaultsInput;
  /**
   * ISO instant the source was started at, set by the intake: a type without a cursor is read from
   * there. Inputs from before it have none: they start at the workflow's start.
   */
  since?: string;
  /** By resource type; carried through continue-as-new. */
  cursors?: Record<string, StoredChangeCursor>;
  /** The backfill under way or last done; carried through continue-as-new. */
  backfill?: PollingBackfill;
}

export interface PollingBackfill {
  /** Agency-local day (YYYY-MM-DD) it reads from. */
  since: string;
  /** The types still to read, with their cursors: empty once done. */
  cursors: Record<string, ChangeCursor>;
  delivered: number;
  skipped: number;
}

export interface FhirPollingState {
  cursors: Record<string, ChangeCursor>;
  polls: number;
  delivered: number;
  skipped: number;
  backfill?: PollingBackfill;
}

export interface BackfillRequest {
  /** Agency-local day (YYYY-MM-DD). */
  since: string;
}

export const pollNow = defineSignal('pollNow');
/** Reads the watched types again from a day on; a new request replaces one under way. */
export const requestBackfill = defineSignal<[BackfillRequest]>('backfill');
export const getPollingState = defineQuery<FhirPollingState>('getPollingState');

export const DEFAULT_OVERLAP_MS = 60_000;
const POLLS_PER_RUN = 200;

/**
 * Changes of the command sequence that histories recorded before them did not make, retired to
 * `deprecatePatch` (CONTRIBUTING.md, "Patches"): called where the old and new sequences parted.
 */
export const POLLING_PATCHES = {
  /** Continue-as-new is also checked between the activity runs of one poll. */
  continuesAsNewBetweenRuns: 'polling-continues-as-new-between-runs',
  /** Backfill runs between polls, and no wait while one is under way. */
  backfills: 'polling-backfills',
} as const;

const { pollFhirChanges } = proxyActivities<FhirChangeActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export function fhirPollingWorkflowId(source: string): string {
  return `fhir-polling-${source}`;
}

export async function fhirPolling(input: FhirPollingInput): Promise<never> {
  const since = input.since ?? workflowInfo().startTime.toISOString();
  const state: FhirPollingState = {
    cursors: Object.fromEntries(input.resourceTypes.map((type) => [type, currentCursor(input.cursors?.[type], since)])),
    polls: 0,
    delivered: 0,
    skipped: 0,
    ...(input.backfill ? { backfill: input.backfill } : {}),
  };
  let requested = false;
  setHandler(pollNow, () => void (requested = true));
  setHandler(requestBackfill, ({ since: day }) => {
    if (!isLocalDate(day)) return;
    const from = new Date(startOfLocalDay(day, episodeDefaultsSchema.parse(input.episodeDefaults).policy.timeZone)).toISOString();
    state.backfill = { since: day, cursors: Object.fromEntries(input.resourceTypes.map((type) => [type, cursorFrom(from)])), delivered: 0, skipped: 0 };
    requested = true;
  });
  setHandler(getPollingState, () => state);

  const overlapMs = input.overlapMs ?? DEFAULT_OVERLAP_MS;
  const maxChanges = input.maxChangesPerActivity ?? 500;
  const poll = (resourceType: string, cursor: ChangeCursor, backfillSince?: string): Promise<FhirChangesPolled> =>
    pollFhirChanges({ resourceType, cursor, overlapMs, maxChanges, episodeDefaults: input.episodeDefaults, ...(backfillSince ? { backfillSince } : {}) });
  const continued = () => continueAsNew<typeof fhirPolling>({ ...input, since, cursors: state.cursors, ...(state.backfill ? { backfill: state.backfill } : {}) });

  for (;;) {
    requested = false;
    for (const resourceType of input.resourceTypes) {
      for (let more = true; more; ) {
        if (workflowInfo().continueAsNewSuggested) {
          deprecatePatch(POLLING_PATCHES.continuesAsNewBetweenRuns);
          return continued();
        }
        const result = await poll(resourceType, state.cursors[resourceType] ?? currentCursor(undefined, since));
        state.cursors[resourceType] = currentCursor(result.cursor);
        state.delivered += result.delivered;
        state.skipped += result.skipped;
        more = result.more;
      }
    }
    state.polls += 1;
    const backfilling = isUnderWay(state.backfill);
    if (backfilling && state.backfill) {
      deprecatePatch(POLLING_PATCHES.backfills);
      const backfill = state.backfill;
      for (const [resourceType, cursor] of Object.entries(backfill.cursors)) {
        if (workflowInfo().continueAsNewSuggested) return continued();
        const result = await poll(resourceType, cursor, backfill.since);
        // A backfill requested meanwhile replaced this one: its cursors stay as they are.
        if (state.backfill !== backfill) break;
        backfill.delivered += result.delivered;
        backfill.skipped += result.skipped;
        if (result.more) backfill.cursors[resourceType] = currentCursor(result.cursor);
        else delete backfill.cursors[resourceType];
      }
    }
    if (state.polls >= POLLS_PER_RUN || workflowInfo().continueAsNewSuggested) return continued();
    if (backfilling) continue;
    await condition(() => requested, input.intervalMs);
  }
}

function isUnderWay(backfill: PollingBackfill | undefined): boolean {
  return backfill !== undefined && Object.keys(backfill.cursors).length > 0;
}
