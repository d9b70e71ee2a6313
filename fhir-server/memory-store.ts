/**
 * The two maps Medplum's MemoryRepository (5.2) keeps its state in. It has no public way to list
 * every resource with all its versions, nor to take a version back, and the snapshot and the exact
 * rollback of a failed transaction need both; they read the maps here and nowhere else.
 * `memoryStoreOf` checks the maps are there, so a Medplum upgrade that renames them stops start-up
 * instead of losing state.
 *
 * Medplum stores its own copy of each version and never mutates one, so a reference to a version
 * stays valid after later writes.
 */
import type { MemoryRepository } from '@medplum/fhir-router';
import type { Resource } from '@medplum/fhirtypes';

type ByTypeAndId<T> = Map<string, Map<string, T>>;

export interface MemoryStore {
  /** The current version of every resource not deleted, by type and id. */
  readonly resources: ByTypeAndId<Resource>;
  /** Every version of every resource not expunged, oldest first, by type and id (kept after a delete). */
  readonly history: ByTypeAndId<Resource[]>;
}

export function memoryStoreOf(repo: MemoryRepository): MemoryStore {
  const { resources, history } = repo as unknown as Partial<MemoryStore>;
  if (!(resources instanceof Map) || !(history instanceof Map)) {
    throw new Error('@medplum/fhir-router MemoryRepository no longer keeps `resources` and `history` maps: the journal cannot snapshot it');
  }
  return { resources, history };
}

/** What one resource is in the store: its current version (none once deleted) and its versions. */
export interface StoredResource {
  current: Resource | undefined;
  versions: Resource[] | undefined;
}

export function storedResource(store: MemoryStore, resourceType: string, id: string): StoredResource {
  const versions = store.history.get(resourceType)?.get(id);
  return { current: store.resources.get(resourceType)?.get(id), versions: versions && [...versions] };
}

/** Puts a resource back as `stored` had it, current version and versions alike. */
export function restoreResource(store: MemoryStore, resourceType: string, id: string, stored: StoredResource): void {
  setOrDelete(store.resources, resourceType, id, stored.current);
  setOrDelete(store.history, resourceType, id, stored.versions);
}

function setOrDelete<T>(maps: ByTypeAndId<T>, resourceType: string, id: string, value: T | undefined): void {
  let byId = maps.get(resourceType);
  if (value === undefined) {
    byId?.delete(id);
    return;
  }
  if (!byId) maps.set(resourceType, (byId = new Map()));
  byId.set(id, value);
}
