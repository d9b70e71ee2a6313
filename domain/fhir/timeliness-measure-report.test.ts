import { describe, expect, test } from 'vitest';
import { validateFhirResource } from '../../fhir-profiles/validation.ts';
import { JANUARY_2026, JANUARY_TASKS, dueTask } from '../reporting/timeliness-fixtures.ts';
import { timelinessReportOf } from '../reporting/timeliness.ts';
import { buildTimelinessIndividual, buildTimelinessList, buildTimelinessSummary } from './timeliness-measure-report.ts';

const TZ = 'America/Chicago';
const report = timelinessReportOf(JANUARY_TASKS.map((due) => dueTask(due, TZ)), JANUARY_2026, TZ);
const context = { agency: 'Organization/example-agency', month: '2026-01', timeZone: TZ, now: Date.parse('2026-02-01T06:30:00Z') };
const errors = (resource: Parameters<typeof validateFhirResource>[0]) => validateFhirResource(resource).filter((issue) => issue.severity === 'error');

describe('the January report as FHIR', () => {
  const summary = buildTimelinessSummary(report, context, 'List/l1');
  const specialist = 'Practitioner/example-specialist';
  const individual = buildTimelinessIndividual(report, context, specialist, 'List/l2');

  test('the summary: populations, score, strata, identifier; R4-valid', () => {
    expect(summary.identifier).toEqual([{ system: 'https://fhir.care-episodes.org/sid/timeliness-report', value: 'example-agency/2026-01' }]);
    expect(summary.period).toEqual({ start: '2026-01-01T00:00:00.000-06:00', end: '2026-01-31T23:59:59.999-06:00' });
    const counts = Object.fromEntries(summary.group![0]!.population!.map((population) => [population.code!.coding![0]!.code, population.count]));
    expect(counts).toEqual({ 'initial-population': 11, 'denominator-exclusion': 4, denominator: 7, numerator: 3, 'met-late': 1, overdue: 2, 'discharged-overdue': 1 });
    expect(summary.group![0]!.measureScore).toEqual({ value: 0.43 });
    expect(summary.group![0]!.stratifier!.map((stratifier) => stratifier.stratum!.length)).toEqual([3, 2]);
    expect(errors(summary)).toEqual([]);
  });

  test('the individual report: subject the Practitioner, its own counts; R4-valid', () => {
    expect(individual).toMatchObject({ type: 'individual', subject: { reference: specialist }, identifier: [{ value: 'example-agency/2026-01/example-specialist' }] });
    expect(individual.group![0]!.measureScore).toEqual({ value: 0.5 });
    expect(errors(individual)).toEqual([]);
  });

  test('the Lists: late and unmet Tasks flagged by population, empty with a reason; R4-valid', () => {
    const all = buildTimelinessList(report, context);
    expect(all.entry!.map((entry) => [entry.item.reference, entry.flag!.coding![0]!.code])).toEqual([
      ['Task/tl-plan-discharged-after', 'discharged-overdue'],
      ['Task/tl-qr-late', 'met-late'],
      ['Task/tl-note-overdue', 'overdue'],
      ['Task/tl-note-open-past', 'overdue'],
    ]);
    const none = buildTimelinessList(timelinessReportOf([], JANUARY_2026, TZ), context, specialist);
    expect(none.entry).toBeUndefined();
    for (const list of [all, none, buildTimelinessList(report, context, specialist)]) expect(errors(list)).toEqual([]);
  });
});
