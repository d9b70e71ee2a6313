/**
 * What one run of the episode hands to the next at continue-as-new: everything pending, every
 * requirement whose Task still lags behind, and what closed recently (the Web UI's details show
 * it). Older closed requirements leave the state, their Tasks stay in FHIR, and their keys are
 * kept so that nothing opens them again.
 */
import { isPending, type EpisodeState } from './state.ts';

/** Requirements closed longer ago than this leave the state at continue-as-new. */
export const CLOSED_REQUIREMENT_MEMORY_MS = 90 * 86_400_000;

export function carryOver(state: EpisodeState, now: number): EpisodeState {
  const kept: EpisodeState['requirements'] = {};
  const retired: string[] = [];
  for (const [key, requirement] of Object.entries(state.requirements)) {
    const stays = isPending(requirement) || !requirement.synced || (requirement.closedAt ?? now) > now - CLOSED_REQUIREMENT_MEMORY_MS;
    if (stays) kept[key] = requirement;
    else retired.push(key);
  }
  return { ...state, requirements: kept, retiredKeys: [...(state.retiredKeys ?? []), ...retired], eventsThisRun: 0 };
}
