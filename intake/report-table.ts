/**
 * `care-episodes report`: the timeliness report as the JSON or as a table readable at 80
 * columns (requirement codes, Practitioner and Task ids, dates and counts only).
 */
import type { TimelinessCounts, TimelinessReport } from '../domain/reporting/timeliness-report.ts';

const countsJson = (counts: TimelinessCounts) => ({
  denominator: counts.denominator,
  numerator: counts.numerator,
  metLate: counts.metLate,
  overdue: counts.overdue,
  dischargedOverdue: counts.dischargedOverdue,
  rate: counts.rate,
});

const strataJson = (strata: Record<string, TimelinessCounts>) => Object.fromEntries(Object.keys(strata).sort().map((key) => [key, countsJson(strata[key] as TimelinessCounts)]));

/**
 * `{"period":{"start","end"},"denominator","numerator","rate","metLate","overdue","dischargedOverdue",
 * "initialPopulation","denominatorExclusion","notYetDue","byCode":{…},"bySpecialist":{…},"late":["Task/…"]}`.
 */
export function reportJson(report: TimelinessReport): string {
  return JSON.stringify({
    period: { start: report.period.start, end: report.period.end },
    denominator: report.denominator,
    numerator: report.numerator,
    rate: report.rate,
    metLate: report.metLate,
    overdue: report.overdue,
    dischargedOverdue: report.dischargedOverdue,
    initialPopulation: report.initialPopulation,
    denominatorExclusion: report.denominatorExclusion,
    notYetDue: report.notYetDue,
    byCode: strataJson(report.byCode),
    bySpecialist: strataJson(report.bySpecialist),
    late: report.late,
  });
}

/** `0.75` as ` 75%`; no rate (nothing due) as `   -`. */
export const ratePercent = (rate: number | null) => (rate === null ? '-' : `${Math.round(rate * 100)}%`);

const COLUMNS = ['due', 'on time', 'late', 'overdue', 'disch. overdue', 'rate'];

function countsRow(label: string, width: number, counts: TimelinessCounts): string {
  const cells = [counts.denominator, counts.numerator, counts.metLate, counts.overdue, counts.dischargedOverdue].map(String);
  return [label.padEnd(width), ...[...cells, ratePercent(counts.rate)].map((cell, column) => cell.padStart((COLUMNS[column] as string).length))].join('  ');
}

/** The Tasks due that the rate leaves out. */
export function notCountedLine(report: TimelinessReport): string {
  const notYetDue = report.notYetDue ? `, ${report.notYetDue} not yet due` : '';
  return `not counted: ${report.denominatorExclusion} of ${report.initialPopulation} due (waived, superseded, withdrawn, discharged before due${notYetDue})`;
}

/**
 * The counts by rule, then the total: the agency's, or with `specialist` that one specialist's
 * (the report then covers only their Tasks). Without it, the counts by specialist follow. Then the
 * late items of each specialist, by due date.
 */
export function reportTable(report: TimelinessReport, specialist?: string): string[] {
  const total = specialist ?? 'agency';
  const codes = Object.keys(report.byCode).sort();
  const specialists = specialist ? [] : Object.keys(report.bySpecialist).sort();
  const width = Math.max('rule'.length, total.length, ...codes.map((code) => code.length), ...specialists.map((owner) => owner.length));
  const header = (first: string) => [first.padEnd(width), ...COLUMNS].join('  ');
  const lines = [`On-time documentation, ${report.period.start.slice(0, 7)} (due ${report.period.start} to ${report.period.end})`, '', header('rule')];
  for (const code of codes) lines.push(countsRow(code, width, report.byCode[code] as TimelinessCounts));
  lines.push(countsRow(total, width, report));
  if (report.denominatorExclusion) lines.push(notCountedLine(report));
  if (specialists.length) {
    lines.push('', header('specialist'));
    for (const owner of specialists) lines.push(countsRow(owner, width, report.bySpecialist[owner] as TimelinessCounts));
  }
  const items = report.lateItems;
  lines.push('', items.length ? `late and overdue (${items.length}), by specialist:` : 'late and overdue: none');
  const codeWidth = Math.max(0, ...items.map((item) => item.code.length));
  for (const owner of [...new Set(items.map((item) => item.owner))].sort()) {
    lines.push(owner);
    for (const item of items.filter((each) => each.owner === owner)) {
      lines.push(`  ${item.dueDate}  ${item.code.padEnd(codeWidth)}  ${item.outcome.padEnd('discharged-overdue'.length)}  ${item.task}`);
    }
  }
  return lines;
}
