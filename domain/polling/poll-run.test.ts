import type { Encounter } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { cursorFrom } from './cursor.ts';
import { changeOf, changesQuery, resumedProgress } from './poll-run.ts';

const encounter = (meta: Encounter['meta'], id = 'h1'): Encounter => ({
  resourceType: 'Encounter',
  ...(id ? { id } : {}),
  status: 'in-progress',
  class: { code: 'IMP' },
  ...(meta ? { meta } : {}),
});

describe('the search of one run', () => {
  test('from the beginning: every change, by _lastUpdated then _id', () => {
    expect(changesQuery({ recent: [] }, 60_000)).toEqual({ _sort: '_lastUpdated,_id', _count: '500' });
  });

  test("from the cursor's floor: the overlap before the furthest change delivered", () => {
    const cursor = { after: { lastUpdated: '2026-02-03T12:00:00.000Z', id: 'h1' }, recent: [] };
    expect(changesQuery(cursor, 60_000)).toEqual({ _sort: '_lastUpdated,_id', _count: '500', _lastUpdated: 'ge2026-02-03T11:59:00.000Z' });
    expect(changesQuery(cursorFrom('2026-02-01T00:00:00Z'), 60_000)._lastUpdated).toBe('ge2026-02-01T00:00:00.000Z');
  });
});

describe('which resources of the answer are changes', () => {
  test('id, version (versionId, else lastUpdated) and lastUpdated in UTC', () => {
    expect(changeOf(encounter({ versionId: '3', lastUpdated: '2026-02-03T06:00:00-06:00' }))).toEqual({ id: 'h1', version: '3', lastUpdated: '2026-02-03T12:00:00.000Z' });
    expect(changeOf(encounter({ lastUpdated: '2026-02-03T12:00:00Z' }))).toEqual({ id: 'h1', version: '2026-02-03T12:00:00Z', lastUpdated: '2026-02-03T12:00:00.000Z' });
  });

  test('none without an id, without meta.lastUpdated, or with one that is not an instant', () => {
    expect(changeOf(encounter({ versionId: '3', lastUpdated: '2026-02-03T12:00:00Z' }, ''))).toBeUndefined();
    expect(changeOf(encounter({ versionId: '3' }))).toBeUndefined();
    expect(changeOf(encounter(undefined))).toBeUndefined();
    expect(changeOf(encounter({ versionId: '3', lastUpdated: 'yesterday' }))).toBeUndefined();
  });
});

describe('where a retried attempt goes on from', () => {
  test('the progress heartbeated before', () => {
    const progress = { cursor: { after: { lastUpdated: '2026-02-03T12:00:00.000Z', id: 'h1' }, recent: [['2026-02-03T12:00:00.000Z', 'h1', '3']] }, delivered: 4, skipped: 1 };
    expect(resumedProgress(progress)).toEqual(progress);
    expect(resumedProgress({ ...progress, extra: true })).toEqual(progress);
  });

  test('none from a first attempt or from details of another shape', () => {
    expect(resumedProgress(undefined)).toBeUndefined();
    expect(resumedProgress({ delivered: 1, skipped: 0 })).toBeUndefined();
    expect(resumedProgress({ cursor: { recent: [] }, delivered: '1', skipped: 0 })).toBeUndefined();
    expect(resumedProgress({ cursor: { since: 'x', seen: [] }, delivered: 1, skipped: 0 })).toBeUndefined();
  });
});
