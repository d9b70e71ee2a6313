/**
 * Where polling stands for one resource type: the latest `meta.lastUpdated` seen, and the versions
 * seen inside the overlap window before it. Each poll searches from `since - overlap` (servers give
 * many resources the same timestamp, and a write may become visible after a later one), and the
 * versions already seen there are not delivered again. Pure: the workflow carries it, the activity
 * applies it.
 */
export interface ChangeCursor {
  /** ISO instant: the latest `meta.lastUpdated` delivered. Absent before the first poll (read everything). */
  since?: string;
  /** `<id>/<version>` of the versions delivered whose `lastUpdated` is inside the overlap window. */
  seen: string[];
}

export interface SeenVersion {
  key: string;
  lastUpdated: string;
}

export const EMPTY_CURSOR: ChangeCursor = { seen: [] };
/** Bound on `seen`, so that the cursor stays small in workflow history. */
export const MAX_SEEN_VERSIONS = 2000;

/** The `_lastUpdated` lower bound of the next search, or undefined to read everything. */
export function searchFloor(cursor: ChangeCursor, overlapMs: number): string | undefined {
  return cursor.since ? new Date(Date.parse(cursor.since) - overlapMs).toISOString() : undefined;
}

export function versionKey(id: string, version: string): string {
  return `${id}/${version}`;
}

export function isNewVersion(cursor: ChangeCursor, key: string): boolean {
  return !cursor.seen.includes(key);
}

/** The cursor after delivering `delivered` (in any order): the newest instant, and what lies in its overlap window. */
export function advanceCursor(cursor: ChangeCursor, delivered: SeenVersion[], overlapMs: number): ChangeCursor {
  const instants = delivered.map((version) => Date.parse(version.lastUpdated)).filter((instant) => !Number.isNaN(instant));
  const previous = cursor.since ? Date.parse(cursor.since) : Number.NEGATIVE_INFINITY;
  const latest = Math.max(previous, ...instants);
  if (!Number.isFinite(latest)) return { seen: [...cursor.seen] };
  const floor = latest - overlapMs;
  const keptBefore = previous >= floor ? cursor.seen : [];
  const inWindow = delivered.filter((version) => Date.parse(version.lastUpdated) >= floor).map((version) => version.key);
  const seen = [...new Set([...keptBefore, ...inWindow])].slice(-MAX_SEEN_VERSIONS);
  return { since: new Date(latest).toISOString(), seen };
}
