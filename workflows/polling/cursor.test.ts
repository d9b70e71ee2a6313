import { describe, expect, test } from 'vitest';
import { advanceCursor, EMPTY_CURSOR, isNewVersion, searchFloor } from './cursor.ts';

const at = (key: string, lastUpdated: string) => ({ key, lastUpdated });

describe('change cursor', () => {
  test('the first poll reads everything', () => {
    expect(searchFloor(EMPTY_CURSOR, 60_000)).toBeUndefined();
  });
  test('moves to the newest instant and remembers what lies in its overlap window', () => {
    const cursor = advanceCursor(EMPTY_CURSOR, [at('a/1', '2026-03-02T10:00:00.000Z'), at('b/1', '2026-03-02T10:05:00.000Z'), at('c/1', '2026-03-02T10:04:30.000Z')], 60_000);
    expect(cursor).toEqual({ since: '2026-03-02T10:05:00.000Z', seen: ['b/1', 'c/1'] });
    expect(searchFloor(cursor, 60_000)).toBe('2026-03-02T10:04:00.000Z');
    expect(isNewVersion(cursor, 'c/1')).toBe(false);
    expect(isNewVersion(cursor, 'c/2')).toBe(true);
  });
  test('equal timestamps: versions already seen are kept while the instant does not move', () => {
    const first = advanceCursor(EMPTY_CURSOR, [at('a/1', '2026-03-02T10:00:00.000Z')], 1_000);
    const second = advanceCursor(first, [at('b/1', '2026-03-02T10:00:00.000Z')], 1_000);
    expect(second).toEqual({ since: '2026-03-02T10:00:00.000Z', seen: ['a/1', 'b/1'] });
  });
  test('nothing new: the cursor stays', () => {
    const cursor = { since: '2026-03-02T10:00:00.000Z', seen: ['a/1'] };
    expect(advanceCursor(cursor, [], 1_000)).toEqual(cursor);
  });
  test('versions that left the window are forgotten', () => {
    const cursor = advanceCursor({ since: '2026-03-02T10:00:00.000Z', seen: ['a/1'] }, [at('b/1', '2026-03-02T11:00:00.000Z')], 60_000);
    expect(cursor).toEqual({ since: '2026-03-02T11:00:00.000Z', seen: ['b/1'] });
  });
});
