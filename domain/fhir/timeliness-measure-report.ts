/**
 * A month's timeliness report as FHIR (measure `timely-documentation`): the agency's summary
 * MeasureReport stratified by requirement code and by owner, one individual MeasureReport per
 * specialist (subject the Practitioner), and beside each a List of its late and unmet Tasks (the
 * subject-list pattern: the met-late, overdue and discharged-overdue populations' subjectResults).
 * Identifiers `<agency id>/<YYYY-MM>` and `<agency id>/<YYYY-MM>/<Practitioner id>` make a rewrite
 * replace. Pure; writeTimelinessReports writes them.
 */
import type { List, MeasureReport, MeasureReportGroupPopulation, MeasureReportGroupStratifierStratum } from '@medplum/fhirtypes';
import { endOfLocalDay, isoWithOffset, startOfLocalDay } from '../calendar/local-date.ts';
import type { TimelinessCounts, TimelinessReport } from '../reporting/timeliness-report.ts';
import {
  MEASURE_POPULATION_SYSTEM,
  REQUIREMENT_SYSTEM,
  TIMELINESS_LIST_IDENTIFIER_SYSTEM,
  TIMELINESS_MEASURE,
  TIMELINESS_POPULATION_SYSTEM,
  TIMELINESS_REPORT_IDENTIFIER_SYSTEM,
  TIMELINESS_STRATIFIER_SYSTEM,
  WORKER_SOURCE,
} from '../vocabulary.ts';
import { idOf } from './ids.ts';

export interface TimelinessReportContext {
  /** `Organization/<id>`: the reporter. */
  agency: string;
  /** `YYYY-MM`, the period's month. */
  month: string;
  timeZone: string;
  /** When the report was computed (`MeasureReport.date`). */
  now: number;
}

/** `<agency id>/<YYYY-MM>`, or `<agency id>/<YYYY-MM>/<Practitioner id>` for a specialist's report. */
export function timelinessIdentifierValue(agency: string, month: string, specialist?: string): string {
  return specialist ? `${idOf(agency)}/${month}/${idOf(specialist)}` : `${idOf(agency)}/${month}`;
}

const populationOf = (system: string, code: string, count: number, list?: string): MeasureReportGroupPopulation => ({
  code: { coding: [{ system, code }] },
  count,
  ...(list ? { subjectResults: { reference: list } } : {}),
});

/** The denominator, numerator and our three populations of not-on-time Tasks (those with `list` as their subject list). */
function countPopulations(counts: TimelinessCounts, list?: string): MeasureReportGroupPopulation[] {
  return [
    populationOf(MEASURE_POPULATION_SYSTEM, 'denominator', counts.denominator),
    populationOf(MEASURE_POPULATION_SYSTEM, 'numerator', counts.numerator),
    populationOf(TIMELINESS_POPULATION_SYSTEM, 'met-late', counts.metLate, list),
    populationOf(TIMELINESS_POPULATION_SYSTEM, 'overdue', counts.overdue, list),
    populationOf(TIMELINESS_POPULATION_SYSTEM, 'discharged-overdue', counts.dischargedOverdue, list),
  ];
}

const scoreOf = (counts: TimelinessCounts) => (counts.rate === null ? {} : { measureScore: { value: counts.rate } });

function stratum(value: MeasureReportGroupStratifierStratum['value'], counts: TimelinessCounts): MeasureReportGroupStratifierStratum {
  return { value, population: countPopulations(counts), ...scoreOf(counts) };
}

function header(context: TimelinessReportContext, report: TimelinessReport, specialist?: string) {
  const { timeZone } = context;
  return {
    identifier: [{ system: TIMELINESS_REPORT_IDENTIFIER_SYSTEM, value: timelinessIdentifierValue(context.agency, context.month, specialist) }],
    status: 'complete' as const,
    measure: TIMELINESS_MEASURE,
    date: new Date(context.now).toISOString(),
    reporter: { reference: context.agency },
    period: {
      start: isoWithOffset(startOfLocalDay(report.period.start, timeZone), timeZone),
      end: isoWithOffset(endOfLocalDay(report.period.end, timeZone), timeZone),
    },
  };
}

/** The agency's summary report; `list` the reference of its List of late and unmet Tasks. */
export function buildTimelinessSummary(report: TimelinessReport, context: TimelinessReportContext, list: string): MeasureReport {
  return {
    resourceType: 'MeasureReport',
    meta: { source: WORKER_SOURCE },
    ...header(context, report),
    type: 'summary',
    group: [
      {
        population: [
          populationOf(MEASURE_POPULATION_SYSTEM, 'initial-population', report.initialPopulation),
          populationOf(MEASURE_POPULATION_SYSTEM, 'denominator-exclusion', report.denominatorExclusion),
          ...countPopulations(report, list),
        ],
        ...scoreOf(report),
        stratifier: [
          {
            code: [{ coding: [{ system: TIMELINESS_STRATIFIER_SYSTEM, code: 'code' }] }],
            stratum: Object.entries(report.byCode).map(([code, counts]) => stratum({ coding: [{ system: REQUIREMENT_SYSTEM, code }] }, counts)),
          },
          {
            code: [{ coding: [{ system: TIMELINESS_STRATIFIER_SYSTEM, code: 'owner' }] }],
            stratum: Object.entries(report.bySpecialist).map(([owner, counts]) => stratum({ text: owner }, counts)),
          },
        ],
      },
    ],
  };
}

/** One specialist's individual report (`specialist` a key of report.bySpecialist). */
export function buildTimelinessIndividual(report: TimelinessReport, context: TimelinessReportContext, specialist: string, list: string): MeasureReport {
  const counts = report.bySpecialist[specialist]!;
  return {
    resourceType: 'MeasureReport',
    meta: { source: WORKER_SOURCE },
    ...header(context, report, specialist),
    type: 'individual',
    subject: { reference: specialist },
    group: [{ population: countPopulations(counts, list), ...scoreOf(counts) }],
  };
}

/** The List of the late and unmet Tasks of a report (all, or one specialist's), each flagged with its population. */
export function buildTimelinessList(report: TimelinessReport, context: TimelinessReportContext, specialist?: string): List {
  const items = report.lateItems.filter((item) => !specialist || item.owner === specialist);
  return {
    resourceType: 'List',
    meta: { source: WORKER_SOURCE },
    identifier: [{ system: TIMELINESS_LIST_IDENTIFIER_SYSTEM, value: timelinessIdentifierValue(context.agency, context.month, specialist) }],
    status: 'current',
    mode: 'snapshot',
    title: `Requirement Tasks due ${context.month} not met on time${specialist ? ` (${specialist})` : ''}`,
    date: new Date(context.now).toISOString(),
    orderedBy: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/list-order', code: 'event-date' }] },
    ...(items.length === 0
      ? { emptyReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/list-empty-reason', code: 'nilknown' }] } }
      : { entry: items.map((item) => ({ item: { reference: item.task }, flag: { coding: [{ system: TIMELINESS_POPULATION_SYSTEM, code: item.outcome }] } })) }),
  };
}
