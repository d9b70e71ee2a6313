/**
 * One run of the polling activity, decided without I/O: the search it sends, which resources of the
 * answer are changes, and where a retried attempt goes on from.
 */
import type { Resource } from '@medplum/fhirtypes';
import { versionKeyOf } from '../fhir/references.ts';
import type { FhirChangesProgress } from './polling-activities.ts';
import { type ChangeCursor, type PolledChange, polledChange, searchFloor } from './cursor.ts';

// Servers cap `_count` at their own maximum (and page on by `next`); fewer pages, fewer sorts of the whole result.
const PAGE_SIZE = 500;

/** The search for what changed since `cursor`: by `_lastUpdated` then `_id`, from the cursor's floor. */
export function changesQuery(cursor: ChangeCursor, overlapMs: number): Record<string, string> {
  const floor = searchFloor(cursor, overlapMs);
  const query: Record<string, string> = { _sort: '_lastUpdated,_id', _count: String(PAGE_SIZE) };
  if (floor) query._lastUpdated = `ge${floor}`;
  return query;
}

/** A resource of the answer as a change; undefined without an id, a version or a `meta.lastUpdated` instant. */
export function changeOf(resource: Resource): PolledChange | undefined {
  const version = versionKeyOf(resource);
  const lastUpdated = resource.meta?.lastUpdated;
  return resource.id && version && lastUpdated ? polledChange(resource.id, version, lastUpdated) : undefined;
}

/** The progress a previous attempt of this run heartbeated, if any. */
export function resumedProgress(details: unknown): FhirChangesProgress | undefined {
  const progress = details as Partial<FhirChangesProgress> | undefined;
  if (!progress || typeof progress.delivered !== 'number' || typeof progress.skipped !== 'number' || !Array.isArray(progress.cursor?.recent)) return undefined;
  return { cursor: progress.cursor, delivered: progress.delivered, skipped: progress.skipped };
}
