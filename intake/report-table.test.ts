import { expect, test } from 'vitest';
import { representativeReport } from '../test/reporting/representative-report.ts';
import { reportJson, reportTable } from './report-table.ts';

test('the table: rules, the agency, the specialists and the late items, within 80 columns', () => {
  const lines = reportTable(representativeReport());
  expect(lines[0]).toBe('On-time documentation, 2026-11 (due 2026-11-01 to 2026-11-30)');
  expect(lines).toContain('rule                     due  on time  late  overdue  disch. overdue  rate');
  expect(lines).toContain('CIP-INITIAL                6        4     1        1               0   67%');
  expect(lines).toContain('agency                    48       39     5        3               1   81%');
  expect(lines).toContain('Practitioner/spec-chen    12        8     2        1               1   67%');
  expect(lines).toContain('not counted: 7 of 55 due (waived, superseded, withdrawn, discharged before due)');
  expect(lines).toContain('late and overdue (9), by specialist:');
  expect(lines.slice(-3)).toEqual(['Practitioner/spec-diaz', '  2026-11-09  NOTE-INDIVIDUAL        overdue             Task/t-1062', '  2026-11-24  NOTE-INDIVIDUAL        met-late            Task/t-1121']);
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
});

test('with --specialist the total is that specialist, and no block by specialist', () => {
  const lines = reportTable(representativeReport(), 'Practitioner/spec-chen');
  expect(lines.some((line) => line.startsWith('Practitioner/spec-chen   48'))).toBe(true);
  expect(lines.some((line) => line.startsWith('agency'))).toBe(false);
  expect(lines.some((line) => line.startsWith('specialist'))).toBe(false);
});

test('nothing due: rate shown as -, JSON rate null', () => {
  const empty = { period: { start: '2026-02-01', end: '2026-02-28' }, initialPopulation: 2, denominatorExclusion: 2, notYetDue: 2, denominator: 0, numerator: 0, metLate: 0, overdue: 0, dischargedOverdue: 0, rate: null, byCode: {}, bySpecialist: {}, late: [], lateItems: [] };
  expect(reportTable(empty)).toContain('agency    0        0     0        0               0     -');
  expect(reportTable(empty)).toContain('not counted: 2 of 2 due (waived, superseded, withdrawn, discharged before due, 2 not yet due)');
  expect(reportTable(empty).at(-1)).toBe('late and overdue: none');
  expect(JSON.parse(reportJson(empty))).toMatchObject({ denominator: 0, rate: null, byCode: {}, late: [] });
});

test("the JSON: the issue's fields, strata by code and specialist, late Task references by due date", () => {
  const json = JSON.parse(reportJson(representativeReport())) as Record<string, unknown>;
  expect(Object.keys(json)).toEqual(['period', 'denominator', 'numerator', 'rate', 'metLate', 'overdue', 'dischargedOverdue', 'initialPopulation', 'denominatorExclusion', 'notYetDue', 'byCode', 'bySpecialist', 'late']);
  expect(json).toMatchObject({ period: { start: '2026-11-01', end: '2026-11-30' }, denominator: 48, numerator: 39, rate: 0.81 });
  expect((json.byCode as Record<string, unknown>).QR).toEqual({ denominator: 9, numerator: 8, metLate: 1, overdue: 0, dischargedOverdue: 0, rate: 0.89 });
  expect(Object.keys(json.bySpecialist as object)).toEqual(['Practitioner/spec-ames', 'Practitioner/spec-baker', 'Practitioner/spec-chen', 'Practitioner/spec-diaz']);
  expect((json.late as string[])[0]).toBe('Task/t-1041');
  expect(json.late).toHaveLength(9);
});
