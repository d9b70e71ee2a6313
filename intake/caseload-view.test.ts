import { expect, test } from 'vitest';
import type { CaseloadSummary } from '../workflows/specialist/messages.ts';
import { caseloadJson, caseloadTable } from './caseload-view.ts';

const summary: CaseloadSummary = {
  specialist: 'Practitioner/s1',
  caseload: 31,
  cap: 30,
  canAssignOne: false,
  episodes: ['EpisodeOfCare/e1', 'EpisodeOfCare/e2'],
  weeks: [
    { week: '2026-W47', start: '2026-11-16', contactHours: 24.456, targetHours: 25 },
    { week: '2026-W48', start: '2026-11-23', contactHours: 19.5, targetHours: 20 },
  ],
  averageHours: 21.978,
  averageTargetHours: 22.5,
  approvedBy: { practitioner: 'Practitioner/sup', at: '2026-11-20T15:00:00.000Z' },
};

test('the JSON has exactly the documented fields, hours to two decimals', () => {
  expect(caseloadJson(summary)).toBe(
    '{"specialist":"Practitioner/s1","caseload":31,"cap":30,"episodes":["EpisodeOfCare/e1","EpisodeOfCare/e2"],' +
      '"weeks":[{"week":"2026-W47","start":"2026-11-16","contactHours":24.46,"targetHours":25},{"week":"2026-W48","start":"2026-11-23","contactHours":19.5,"targetHours":20}],' +
      '"averageHours":21.98,"averageTargetHours":22.5}',
  );
});

test('the table: caseload and cap, the approval, episodes, one line a week and the average', () => {
  expect(caseloadTable(summary)).toEqual([
    'Practitioner/s1: caseload 31 of cap 30 (no more can be assigned), past the cap approved by Practitioner/sup at 2026-11-20T15:00:00.000Z',
    '  EpisodeOfCare/e1',
    '  EpisodeOfCare/e2',
    'week      start        contact   target',
    '2026-W47  2026-11-16    24.46    25.00',
    '2026-W48  2026-11-23    19.50    20.00',
    'average                  21.98    22.50',
  ]);
});
