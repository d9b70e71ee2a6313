/**
 * The polling workflow's activity: searches one resource type for what changed since the cursor
 * (`_lastUpdated` from the cursor minus the overlap, sorted, following `next` links), hands each
 * new version to its episode with the intake's one mapping, and returns the new cursor. Resources
 * never leave the activity: the workflow sees ids, versions and counts only.
 */
import type { MedplumClient } from '@medplum/core';
import type { Resource, ResourceType } from '@medplum/fhirtypes';
import { Context } from '@temporalio/activity';
import { deliverFhirChange, type DeliveryContext } from '../intake/deliver-fhir-change.ts';
import { episodeDefaultsSchema } from '../intake/episode-defaults.ts';
import type { IntakeLog } from '../intake/log.ts';
import { versionKeyOf } from '../intake/references.ts';
import type { FhirChangeActivities, FhirChangesPoll, FhirChangesPolled } from '../workflows/polling/activity-contract.ts';
import { advanceCursor, isNewVersion, searchFloor, type SeenVersion, versionKey } from '../workflows/polling/cursor.ts';

const PAGE_SIZE = 100;

export function createFhirChangeActivities({ fhir }: { fhir: MedplumClient }): FhirChangeActivities {
  return { pollFhirChanges: (poll) => pollFhirChangesWith(fhir, poll) };
}

export async function pollFhirChangesWith(fhir: MedplumClient, poll: FhirChangesPoll): Promise<FhirChangesPolled> {
  const context = Context.current();
  const delivery: DeliveryContext = {
    temporal: context.client,
    fhir,
    // Episodes run on the task queue of the worker that polls.
    taskQueue: context.info.taskQueue,
    defaults: episodeDefaultsSchema.parse(poll.episodeDefaults),
    log: activityLog(context),
  };
  const floor = searchFloor(poll.cursor, poll.overlapMs);
  const query: Record<string, string> = { _sort: '_lastUpdated', _count: String(PAGE_SIZE) };
  if (floor) query._lastUpdated = `ge${floor}`;

  const seen: SeenVersion[] = [];
  let delivered = 0;
  let skipped = 0;
  for await (const page of fhir.searchResourcePages(poll.resourceType as ResourceType, query, { cache: 'no-cache' })) {
    for (const resource of page as Resource[]) {
      const version = versionKeyOf(resource);
      const lastUpdated = resource.meta?.lastUpdated;
      if (!resource.id || !version || !lastUpdated) continue;
      const key = versionKey(resource.id, version);
      if (!isNewVersion(poll.cursor, key)) continue;
      const result = await deliverFhirChange(delivery, resource);
      if (result.outcome === 'delivered') delivered++;
      else skipped++;
      seen.push({ key, lastUpdated });
      if (seen.length >= poll.maxChanges) {
        return { cursor: advanceCursor(poll.cursor, seen, poll.overlapMs), delivered, skipped, more: true };
      }
    }
    context.heartbeat({ seen: seen.length });
  }
  return { cursor: advanceCursor(poll.cursor, seen, poll.overlapMs), delivered, skipped, more: false };
}

function activityLog(context: Context): IntakeLog {
  return {
    debug: (message, fields) => context.log.debug(message, fields),
    info: (message, fields) => context.log.info(message, fields),
    warn: (message, fields) => context.log.warn(message, fields),
    error: (message, fields) => context.log.error(message, fields),
  };
}
