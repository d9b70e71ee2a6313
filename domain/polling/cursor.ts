/**
 * Where polling stands for one resource type, and the pure rules that move it on.
 *
 * Searches ask for `_lastUpdated=ge<floor>&_sort=_lastUpdated,_id` (HAPI and Medplum rank by both
 * keys), so the changes come in one total order, by their position (`meta.lastUpdated`, id).
 * The cursor holds:
 * - `after`, the position of the furthest change delivered;
 * - `recent`, the changes delivered whose `lastUpdated` lies within the overlap before `after`;
 * - `settled`, a position below which no change is looked at again (where polling began, or where
 *   `recent` was cut).
 *
 * A change found by a search is delivered when it is at or past `settled` and not in `recent`.
 * Each search starts `overlap` before `after` (or at `settled`, if later), because a write can
 * become visible after a later one (its transaction committed late): found at or before `after`
 * and not in `recent`, it is delivered then. Every change past `after` is new and moves `after`
 * on, so any number of changes sharing one instant are gone through, `maxChanges` per activity run.
 *
 * `recent` is bounded without a stall: past MAX_RECENT_CHANGES the oldest are dropped and `settled`
 * moves up to the oldest kept, so a dropped change counts as delivered, never as new. With more
 * changes than that inside one overlap window, only the newest MAX_RECENT_CHANGES of the window are
 * watched for late writes. A change delivered twice anyway (an activity retried after delivering
 * and before its heartbeat) has no double effect: episodes dedupe by event id.
 *
 * Pure: the workflow carries the cursors, the activity applies them.
 */

export interface ChangePosition {
  /** ISO instant in UTC (`toISOString`), so that positions compare as strings. */
  lastUpdated: string;
  id: string;
}

/** A delivered change, compact because cursors travel through workflow history: `[lastUpdated, id, versionId]`. */
export type RecentChange = [lastUpdated: string, id: string, version: string];

export interface ChangeCursor {
  after?: ChangePosition;
  settled?: ChangePosition;
  /** Sorted by position. */
  recent: RecentChange[];
}

/** The cursor as the polling kept it before positions; running workflows still carry it. */
export interface LegacyChangeCursor {
  /** The latest `meta.lastUpdated` delivered; absent before the first poll. */
  since?: string;
  /** `<id>/<version>` of the versions delivered inside the overlap window before `since`. */
  seen: string[];
}

export type StoredChangeCursor = ChangeCursor | LegacyChangeCursor;

/** One change as a search returned it. */
export interface PolledChange {
  lastUpdated: string;
  id: string;
  version: string;
}

/** Bound on `recent`, so that a cursor stays small in workflow history (about 70 bytes each). */
export const MAX_RECENT_CHANGES = 1000;

/** The lowest id, below any real one: a position `(instant, LOWEST_ID)` is the start of that instant. */
const LOWEST_ID = '';

/** A change with its `lastUpdated` in the cursor's form; undefined when that is not an instant. */
export function polledChange(id: string, version: string, lastUpdated: string): PolledChange | undefined {
  const instant = Date.parse(lastUpdated);
  return Number.isNaN(instant) ? undefined : { id, version, lastUpdated: new Date(instant).toISOString() };
}

/** A cursor that delivers every change from `since` (an ISO instant) on, and nothing before it. */
export function cursorFrom(since: string): ChangeCursor {
  return { settled: { lastUpdated: new Date(Date.parse(since)).toISOString(), id: LOWEST_ID }, recent: [] };
}

/**
 * The cursor to poll with: `stored` as it is, a legacy cursor translated (what it had seen stays
 * seen), and without either the cursor from `start` (or, without `start`, from the beginning).
 */
export function currentCursor(stored: StoredChangeCursor | undefined, start?: string): ChangeCursor {
  if (stored && 'recent' in stored) return stored;
  if (stored?.since) {
    const since = new Date(Date.parse(stored.since)).toISOString();
    const recent = stored.seen.map((key): RecentChange => {
      const slash = key.indexOf('/');
      return [since, key.slice(0, slash), key.slice(slash + 1)];
    });
    return { after: { lastUpdated: since, id: LOWEST_ID }, recent: recent.sort(compareRecent) };
  }
  return start ? cursorFrom(start) : { recent: [] };
}

/** Ids rank as the servers rank them: all-digit ids (HAPI's) by number, any other by code unit (Medplum's UUIDs). */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function comparePositions(a: ChangePosition, b: ChangePosition): number {
  return a.lastUpdated < b.lastUpdated ? -1 : a.lastUpdated > b.lastUpdated ? 1 : compareIds(a.id, b.id);
}

const positionOfRecent = ([lastUpdated, id]: RecentChange): ChangePosition => ({ lastUpdated, id });
const compareRecent = (a: RecentChange, b: RecentChange): number => comparePositions(positionOfRecent(a), positionOfRecent(b));

/** The `_lastUpdated` lower bound (`ge`) of the next search; undefined to read everything. */
export function searchFloor(cursor: ChangeCursor, overlapMs: number): string | undefined {
  const overlapStart = cursor.after ? new Date(Date.parse(cursor.after.lastUpdated) - overlapMs).toISOString() : undefined;
  const settled = cursor.settled?.lastUpdated;
  if (!overlapStart) return settled;
  return settled && settled > overlapStart ? settled : overlapStart;
}

export function isUndelivered(cursor: ChangeCursor, change: PolledChange): boolean {
  if (cursor.settled && comparePositions(change, cursor.settled) < 0) return false;
  return !cursor.recent.some(([, id, version]) => id === change.id && version === change.version);
}

/** The cursor once `change` is delivered: `after` at the furthest, `change` in `recent`, what left the window dropped. */
export function cursorAfter(cursor: ChangeCursor, change: PolledChange, overlapMs: number): ChangeCursor {
  const after = !cursor.after || comparePositions(change, cursor.after) > 0 ? { lastUpdated: change.lastUpdated, id: change.id } : cursor.after;
  const entry: RecentChange = [change.lastUpdated, change.id, change.version];
  const recent = [...cursor.recent];
  let index = recent.length;
  while (index > 0 && compareRecent(recent[index - 1] as RecentChange, entry) > 0) index--;
  recent.splice(index, 0, entry);

  const windowStart = new Date(Date.parse(after.lastUpdated) - overlapMs).toISOString();
  let dropped = 0;
  while (dropped < recent.length && (recent[dropped] as RecentChange)[0] < windowStart) dropped++;
  let settled = cursor.settled;
  const overflow = recent.length - dropped - MAX_RECENT_CHANGES;
  if (overflow > 0) {
    dropped += overflow;
    const oldestKept = positionOfRecent(recent[dropped] as RecentChange);
    if (!settled || comparePositions(oldestKept, settled) > 0) settled = oldestKept;
  }
  return { after, ...(settled ? { settled } : {}), recent: recent.slice(dropped) };
}
