/**
 * A FHIR change the intake takes but hands to no episode is never dropped silently: each one is
 * logged (its reference, a reason code and the mapping's reason text: ids, codes and statuses
 * only) and counted as `care_intake_changes_skipped{reason}` on the process's Prometheus endpoint
 * (the intake's INTAKE_METRICS_BIND; the worker's METRICS_BIND for changes found by polling).
 */
import type { MetricCounter, MetricMeter } from '@temporalio/common';
import type { ProcessLog } from '../platform/logger.ts';

export const SKIP_REASONS = [
  /** The mapping finds no episode event in it (a status we do not act on, the worker's own Task write, …). */
  'not-an-episode-event',
  'no-active-episode',
  'episode-not-found',
  /** Its episode's workflow has completed: a closed episode is never started again. */
  'episode-closed',
  /** Its EpisodeOfCare cannot start an episode (missing elements, or ended before a backfill's date). */
  'episode-not-startable',
  /** An id-only notification of a resource the FHIR server no longer has. */
  'resource-gone',
  /** A change of a specialist's Task whose workflow (`specialist-<id>`) does not run. */
  'no-specialist-workflow',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

export const CHANGES_SKIPPED_METRIC = 'care_intake_changes_skipped';

export interface SkipRecording {
  log: ProcessLog;
  /** Absent: logged only (tests, the operator CLI). */
  metricMeter?: MetricMeter;
}

const counters = new WeakMap<MetricMeter, MetricCounter>();

function counterOf(meter: MetricMeter): MetricCounter {
  let counter = counters.get(meter);
  if (!counter) {
    counter = meter.createCounter(CHANGES_SKIPPED_METRIC, 'changes', 'FHIR changes taken but handed to no episode, by reason');
    counters.set(meter, counter);
  }
  return counter;
}

export function recordSkippedChange(recording: SkipRecording, resource: string, reason: SkipReason, detail: string): void {
  recording.log.info('FHIR change skipped', { resource, reason, detail });
  if (recording.metricMeter) counterOf(recording.metricMeter).add(1, { reason });
}
