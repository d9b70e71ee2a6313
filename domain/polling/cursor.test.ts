import { describe, expect, test } from 'vitest';
import {
  type ChangeCursor,
  compareIds,
  currentCursor,
  cursorAfter,
  cursorFrom,
  isUndelivered,
  MAX_RECENT_CHANGES,
  type PolledChange,
  polledChange,
  searchFloor,
} from './cursor.ts';

const T0 = '2026-03-02T10:00:00.000Z';
const change = (id: string, lastUpdated = T0, version = '1'): PolledChange => polledChange(id, version, lastUpdated) as PolledChange;
const id = (n: number): string => `r${String(n).padStart(5, '0')}`;

/** One poll as the activity runs it: the changes in search order from the floor, at most `max` delivered. */
function poll(cursor: ChangeCursor, visible: PolledChange[], overlapMs: number, max = Infinity): { cursor: ChangeCursor; delivered: string[] } {
  const floor = searchFloor(cursor, overlapMs);
  const found = visible.filter((each) => !floor || each.lastUpdated >= floor).sort((a, b) => a.lastUpdated.localeCompare(b.lastUpdated) || compareIds(a.id, b.id));
  const delivered: string[] = [];
  for (const each of found) {
    if (delivered.length >= max) break;
    if (!isUndelivered(cursor, each)) continue;
    delivered.push(`${each.id}/${each.version}`);
    cursor = cursorAfter(cursor, each, overlapMs);
  }
  return { cursor, delivered };
}

/** Polls until nothing more is delivered; every delivery, in order. */
function pollUntilQuiet(cursor: ChangeCursor, visible: PolledChange[], overlapMs: number, max: number): { cursor: ChangeCursor; delivered: string[]; polls: number } {
  const delivered: string[] = [];
  for (let polls = 1; polls < 1000; polls++) {
    const result = poll(cursor, visible, overlapMs, max);
    cursor = result.cursor;
    delivered.push(...result.delivered);
    if (result.delivered.length === 0) return { cursor, delivered, polls };
  }
  throw new Error('polling never went quiet');
}

describe('change cursor', () => {
  test.each([
    { case: 'from a start: the start itself', cursor: cursorFrom('2026-03-02T04:00:00-06:00'), overlapMs: 60_000, floor: T0 },
    { case: 'no cursor and no start: everything', cursor: currentCursor(undefined), overlapMs: 60_000, floor: undefined },
    { case: 'after a delivery: the overlap before it', cursor: cursorAfter(cursorFrom(T0), change('a', '2026-03-02T10:05:00.000Z'), 60_000), overlapMs: 60_000, floor: '2026-03-02T10:04:00.000Z' },
    { case: 'settled later than the overlap start: settled', cursor: cursorAfter(cursorFrom(T0), change('a', '2026-03-02T10:00:30.000Z'), 60_000), overlapMs: 60_000, floor: T0 },
  ])('search floor, $case', ({ cursor, overlapMs, floor }) => {
    expect(searchFloor(cursor, overlapMs)).toBe(floor);
  });

  test.each([
    { case: 'before the start', cursor: cursorFrom(T0), polled: change('a', '2026-03-02T09:59:59.999Z'), undelivered: false },
    { case: 'at the start', cursor: cursorFrom(T0), polled: change('a'), undelivered: true },
    { case: 'delivered already', cursor: cursorAfter(cursorFrom(T0), change('a'), 1_000), polled: change('a'), undelivered: false },
    { case: 'a newer version of one delivered', cursor: cursorAfter(cursorFrom(T0), change('a'), 1_000), polled: change('a', '2026-03-02T10:00:00.500Z', '2'), undelivered: true },
    { case: 'a late write before the furthest delivered', cursor: cursorAfter(cursorFrom(T0), change('b', '2026-03-02T10:00:00.500Z'), 1_000), polled: change('a', '2026-03-02T10:00:00.200Z'), undelivered: true },
    { case: 'same instant, id before the furthest, unseen', cursor: cursorAfter(cursorFrom(T0), change('b'), 1_000), polled: change('a'), undelivered: true },
  ])('isUndelivered: $case', ({ cursor, polled, undelivered }) => {
    expect(isUndelivered(cursor, polled)).toBe(undelivered);
  });

  test.each([
    { case: 'lexical ids', a: 'b7', b: 'a9', sign: 1 },
    { case: 'numeric ids by number', a: '10', b: '9', sign: 1 },
    { case: 'equal', a: '42', b: '42', sign: 0 },
    { case: 'numeric against lexical', a: '10', b: 'a', sign: -1 },
  ])('compareIds: $case', ({ a, b, sign }) => {
    expect(Math.sign(compareIds(a, b))).toBe(sign);
  });

  test('offsets and precision: positions are UTC instants', () => {
    expect(change('a', '2026-03-02T04:00:00-06:00').lastUpdated).toBe(T0);
    expect(polledChange('a', '1', 'yesterday')).toBeUndefined();
  });

  test('what leaves the overlap window is forgotten, and the floor keeps it out of reach', () => {
    let cursor = cursorAfter(cursorFrom(T0), change('a'), 60_000);
    cursor = cursorAfter(cursor, change('b', '2026-03-02T11:00:00.000Z'), 60_000);
    expect(cursor.recent).toEqual([['2026-03-02T11:00:00.000Z', 'b', '1']]);
    expect(poll(cursor, [change('a'), change('b', '2026-03-02T11:00:00.000Z')], 60_000).delivered).toEqual([]);
  });

  test.each([
    { case: 'more versions at one instant than recent holds', count: 3 * MAX_RECENT_CHANGES, spreadMs: 0, max: 500 },
    { case: 'more than recent holds, a few per millisecond', count: 2_500, spreadMs: 1_000, max: 500 },
    { case: 'one activity run for all', count: 2_500, spreadMs: 10, max: Infinity },
    { case: 'one change per run', count: 30, spreadMs: 0, max: 1 },
  ])('every version exactly once, in bounded polls: $case', ({ count, spreadMs, max }) => {
    const instant = (n: number) => new Date(Date.parse(T0) + Math.floor((n * spreadMs) / count)).toISOString();
    const visible = Array.from({ length: count }, (_, n) => change(id(n), instant(n)));
    const { cursor, delivered, polls } = pollUntilQuiet(cursorFrom(T0), visible, 60_000, max);
    expect(delivered).toHaveLength(count);
    expect(new Set(delivered).size).toBe(count);
    expect(polls).toBeLessThanOrEqual(Math.ceil(count / Math.min(max, count)) + 1);
    expect(cursor.recent.length).toBeLessThanOrEqual(MAX_RECENT_CHANGES);
    // A change written after them comes next, once.
    const later = change('z-later', '2026-03-02T10:00:02.000Z');
    expect(pollUntilQuiet(cursor, [...visible, later], 60_000, max).delivered).toEqual(['z-later/1']);
  });

  test('a write that becomes visible late, inside the overlap, is delivered once', () => {
    const early = change('late', '2026-03-02T10:00:10.000Z');
    const visible = [change('a'), change('b', '2026-03-02T10:00:20.000Z')];
    const first = poll(cursorFrom(T0), visible, 60_000);
    expect(first.delivered).toEqual(['a/1', 'b/1']);
    const second = poll(first.cursor, [...visible, early], 60_000);
    expect(second.delivered).toEqual(['late/1']);
    expect(poll(second.cursor, [...visible, early], 60_000).delivered).toEqual([]);
  });

  test('a legacy cursor keeps what it had seen, and delivers the rest of its instant', () => {
    const legacy = { since: '2026-03-02T10:00:00Z', seen: ['a/1', 'b/2'] };
    const cursor = currentCursor(legacy);
    expect(cursor.after).toEqual({ lastUpdated: T0, id: '' });
    const visible = [change('a'), change('b', T0, '2'), change('c'), change('d', '2026-03-02T10:00:01.000Z')];
    expect(poll(cursor, visible, 60_000).delivered).toEqual(['c/1', 'd/1']);
    expect(currentCursor({ seen: [] }, T0)).toEqual(cursorFrom(T0));
    expect(currentCursor(cursor, '2030-01-01T00:00:00Z')).toBe(cursor);
  });
});
