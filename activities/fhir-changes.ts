/**
 * The polling workflow's activity: searches one resource type for what changed since the cursor
 * (`_lastUpdated` from the cursor's floor, sorted by `_lastUpdated` then `_id`, following `next`
 * links), hands each undelivered version to its episode with the intake's one mapping, and returns
 * the new cursor. It heartbeats after each change with the cursor so far, and a retried attempt
 * goes on from there. Resources never leave the activity: the workflow sees ids, versions and
 * counts only.
 */
import type { MedplumClient } from '@medplum/core';
import type { Resource, ResourceType } from '@medplum/fhirtypes';
import { Context } from '@temporalio/activity';
import { deliverFhirChange, type DeliveryContext } from './deliver-fhir-change.ts';
import { episodeDefaultsSchema } from '../domain/episode/episode-defaults.ts';
import type { ProcessLog } from '../platform/logger.ts';
import type { FhirChangeActivities, FhirChangesPoll, FhirChangesPolled, FhirChangesProgress } from '../domain/polling/polling-activities.ts';
import { currentCursor, cursorAfter, isUndelivered } from '../domain/polling/cursor.ts';
import { changeOf, changesQuery, resumedProgress } from '../domain/polling/poll-run.ts';

export type DeliverChange = typeof deliverFhirChange;

export interface FhirChangeActivityOptions {
  fhir: MedplumClient;
  /** The delivery of one change; tests wrap the real one to count what it is given. */
  deliver?: DeliverChange;
}

export function createFhirChangeActivities({ fhir, deliver = deliverFhirChange }: FhirChangeActivityOptions): FhirChangeActivities {
  return { pollFhirChanges: (poll) => pollFhirChanges(fhir, poll, deliver) };
}

export async function pollFhirChanges(fhir: MedplumClient, poll: FhirChangesPoll, deliver: DeliverChange = deliverFhirChange): Promise<FhirChangesPolled> {
  const context = Context.current();
  const delivery: DeliveryContext = {
    temporal: context.client,
    fhir,
    // Episodes run on the task queue of the worker that polls.
    taskQueue: context.info.taskQueue,
    defaults: episodeDefaultsSchema.parse(poll.episodeDefaults),
    log: activityLog(context),
    // Skipped changes show on the worker's Prometheus endpoint.
    metricMeter: context.metricMeter,
    ...(poll.backfillSince ? { startsNoEpisodeEndedBefore: poll.backfillSince } : {}),
  };
  const progress: FhirChangesProgress = resumedProgress(context.info.heartbeatDetails) ?? { cursor: currentCursor(poll.cursor), delivered: 0, skipped: 0 };
  const query = changesQuery(progress.cursor, poll.overlapMs);
  for await (const page of fhir.searchResourcePages(poll.resourceType as ResourceType, query, { cache: 'no-cache' })) {
    for (const resource of page as Resource[]) {
      const change = changeOf(resource);
      if (!change || !isUndelivered(progress.cursor, change)) continue;
      if (progress.delivered + progress.skipped >= poll.maxChanges) return { ...progress, more: true };
      const result = await deliver(delivery, resource);
      if (result.outcome === 'delivered') progress.delivered++;
      else progress.skipped++;
      progress.cursor = cursorAfter(progress.cursor, change, poll.overlapMs);
      context.heartbeat({ ...progress });
    }
    // A page of changes delivered before is read without a delivery: still alive.
    context.heartbeat({ ...progress });
  }
  return { ...progress, more: false };
}

function activityLog(context: Context): ProcessLog {
  return {
    debug: (message, fields) => context.log.debug(message, fields),
    info: (message, fields) => context.log.info(message, fields),
    warn: (message, fields) => context.log.warn(message, fields),
    error: (message, fields) => context.log.error(message, fields),
  };
}
