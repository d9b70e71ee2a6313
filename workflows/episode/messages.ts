/**
 * How the outside world talks to an episode. Prefer the `recordEvent` update: its validator
 * rejects a malformed payload before anything is written to history, and the caller learns
 * whether the event was applied or a repeat. The `episodeEvent` signal exists for
 * signal-with-start; a malformed signal is logged (field paths only) and ignored.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { EpisodeEventInput } from '../../domain/episode/events.ts';
import type { EpisodeState } from '../../domain/episode/state.ts';

export interface EventReceipt {
  eventId: string;
  /** `older`: its FHIR resource version is older than one the episode already applied. */
  outcome: 'applied' | 'duplicate' | 'older';
}

export const recordEvent = defineUpdate<EventReceipt, [EpisodeEventInput]>('recordEvent');
export const episodeEvent = defineSignal<[EpisodeEventInput]>('episodeEvent');
export const getState = defineQuery<EpisodeState>('getState');
