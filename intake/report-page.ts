/**
 * `care-episodes report --html FILE`: the timeliness report as one self-contained HTML page a
 * supervisor opens offline: inline CSS and SVG only (no script, font, image or stylesheet from
 * elsewhere), the on-time rate by rule and by specialist as bar charts with the agency's rate as a
 * reference line, the counts, and the late items. Codes, Practitioner and Task ids, dates and
 * counts only; every interpolated value is escaped.
 */
import type { TimelinessCounts, TimelinessReport } from '../domain/reporting/timeliness-report.ts';
import { notCountedLine, ratePercent } from './report-table.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (value: string | number) => String(value).replace(/[&<>"']/g, (char) => ESCAPES[char] as string);

const OUTCOMES: Record<TimelinessReport['lateItems'][number]['outcome'], string> = {
  'met-late': 'met late',
  overdue: 'overdue, still open',
  'discharged-overdue': 'discharged while overdue',
};

const ROW = 30;
const BAR = 18;
const PLOT = 420;
const TOP = 28;
const AXIS = 34;

/** Room for the longest label (codes and ids, monospace: about 7.5 px a character), so that charts side by side share their axis. */
const labelWidthOf = (labels: string[]) => Math.min(280, Math.max(90, ...labels.map((label) => label.length * 7.5 + 16)));

/** A horizontal bar per stratum: its rate on a 0–100 % axis, labelled with rate and counts. */
function rateChart(id: string, title: string, strata: [string, TimelinessCounts][], agencyRate: number | null, labelWidth: number): string {
  const width = labelWidth + PLOT + 130;
  const height = TOP + strata.length * ROW + AXIS;
  const x = (rate: number) => labelWidth + rate * PLOT;
  const plotBottom = TOP + strata.length * ROW;
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (tick) =>
        `<line class="grid" x1="${x(tick)}" y1="${TOP - 6}" x2="${x(tick)}" y2="${plotBottom}"/>` +
        `<text class="tick" x="${x(tick)}" y="${plotBottom + 18}" text-anchor="middle">${tick * 100} %</text>`,
    )
    .join('');
  const bars = strata
    .map(([label, counts], row) => {
      const y = TOP + row * ROW + (ROW - BAR) / 2;
      const text = `<text class="label" x="${labelWidth - 10}" y="${y + BAR / 2}" text-anchor="end" dominant-baseline="central">${escape(label)}</text>`;
      if (counts.rate === null) return `${text}<text class="value none" x="${x(0) + 6}" y="${y + BAR / 2}" dominant-baseline="central">nothing due</text>`;
      const value = `${ratePercent(counts.rate)} (${counts.numerator}/${counts.denominator})`;
      return (
        text +
        `<rect class="bar" x="${x(0)}" y="${y}" width="${(counts.rate * PLOT).toFixed(1)}" height="${BAR}" rx="2"><title>${escape(label)}: ${escape(value)}</title></rect>` +
        `<text class="value" x="${x(counts.rate) + 6}" y="${y + BAR / 2}" dominant-baseline="central">${escape(value)}</text>`
      );
    })
    .join('');
  const reference =
    agencyRate === null
      ? ''
      : `<line class="reference" x1="${x(agencyRate)}" y1="${TOP - 6}" x2="${x(agencyRate)}" y2="${plotBottom}"/>` +
        `<text class="reference-label" x="${x(agencyRate)}" y="${TOP - 12}" text-anchor="middle">agency ${ratePercent(agencyRate)}</text>`;
  return `<figure>
<figcaption>${escape(title)}</figcaption>
<svg id="${escape(id)}" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escape(title)}">
${ticks}${reference}${bars}<line class="axis" x1="${x(0)}" y1="${TOP - 6}" x2="${x(0)}" y2="${plotBottom}"/>
</svg>
</figure>`;
}

function countsRows(strata: [string, TimelinessCounts][], total?: [string, TimelinessCounts]): string {
  const row = ([label, counts]: [string, TimelinessCounts], className = '') =>
    `<tr${className ? ` class="${className}"` : ''}><th scope="row">${escape(label)}</th>${[counts.denominator, counts.numerator, counts.metLate, counts.overdue, counts.dischargedOverdue, ratePercent(counts.rate)]
      .map((cell) => `<td>${escape(cell)}</td>`)
      .join('')}</tr>`;
  return strata.map((stratum) => row(stratum)).join('\n') + (total ? `\n${row(total, 'total')}` : '');
}

/** The counts tables share their columns' widths, so that rules and specialists line up. */
const countsHead = (first: string) =>
  `<colgroup><col class="name"><col span="6"></colgroup><thead><tr>${[first, 'due', 'on time', 'met late', 'overdue', 'discharged overdue', 'rate'].map((name) => `<th scope="col">${name}</th>`).join('')}</tr></thead>`;

const STYLE = `
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --bar: #2f6fb0; --reference: #c2410c; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #f5f7fa; }
main { max-width: 980px; margin: 0 auto; padding: 32px 28px 48px; background: #fff; min-height: 100vh; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.period { color: var(--muted); margin: 0 0 24px; }
.headline { display: flex; gap: 28px; align-items: baseline; flex-wrap: wrap; padding: 16px 20px; border: 1px solid var(--line); border-radius: 8px; background: #f8fafc; }
.headline .rate { font-size: 44px; font-weight: 700; color: var(--bar); line-height: 1; }
.headline .rate small { display: block; font-size: 13px; font-weight: 400; color: var(--muted); margin-top: 4px; }
.headline dl { display: flex; gap: 24px; margin: 0; flex-wrap: wrap; }
.headline dt { color: var(--muted); font-size: 13px; }
.headline dd { margin: 0; font-size: 20px; font-weight: 600; }
figure { margin: 20px 0 0; overflow-x: auto; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg.chart { max-width: 100%; height: auto; font-size: 13px; }
svg .label { fill: var(--ink); font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
svg .value { fill: var(--ink); font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
svg .value.none { fill: var(--muted); font-weight: 400; font-style: italic; }
svg .tick { fill: var(--muted); font-size: 12px; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .bar { fill: var(--bar); }
svg .reference { stroke: var(--reference); stroke-width: 2; stroke-dasharray: 5 4; }
svg .reference-label { fill: var(--reference); font-size: 12px; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin-top: 8px; font-variant-numeric: tabular-nums; }
table.counts { table-layout: fixed; }
table.counts col.name { width: 32%; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: right; }
th:first-child, th.left, td.left { text-align: left; }
thead th { color: var(--muted); font-weight: 600; font-size: 13px; }
tbody th { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-weight: 500; font-size: 13.5px; }
tr.total th, tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
td.id { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 13.5px; text-align: left; }
.outcome { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12.5px; }
.outcome.met-late { background: #fef3c7; color: #7c4a03; }
.outcome.overdue { background: #fee2e2; color: #991b1b; }
.outcome.discharged-overdue { background: #e5e7eb; color: #374151; }
.excluded { color: var(--muted); font-size: 13px; margin: 8px 2px 0; }
.note { color: var(--muted); font-size: 13px; margin-top: 28px; }
@media print { body { background: #fff; } main { padding: 0; } }
`;

export function reportPage(report: TimelinessReport, specialist?: string): string {
  const month = report.period.start.slice(0, 7);
  const title = `On-time documentation, ${month}`;
  const total = specialist ?? 'agency';
  const byCode = Object.entries(report.byCode).sort(([a], [b]) => a.localeCompare(b));
  const bySpecialist = Object.entries(report.bySpecialist).sort(([a], [b]) => a.localeCompare(b));
  const labelWidth = labelWidthOf([...byCode, ...bySpecialist].map(([label]) => label));
  const late = report.lateItems
    .map(
      (item) =>
        `<tr><td class="left">${escape(item.dueDate)}</td><td class="id">${escape(item.task)}</td><td class="id">${escape(item.code)}</td><td class="id">${escape(item.owner)}</td><td class="left"><span class="outcome ${escape(item.outcome)}">${escape(OUTCOMES[item.outcome])}</span></td></tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escape(title)}</h1>
<p class="period">Requirement Tasks due ${escape(report.period.start)} to ${escape(report.period.end)}${specialist ? ` owned by ${escape(specialist)}` : ', the whole agency'}.</p>
<section class="headline" aria-label="${escape(total)}">
<div class="rate">${escape(ratePercent(report.rate))}<small>on time</small></div>
<dl>
<div><dt>due</dt><dd>${report.denominator}</dd></div>
<div><dt>on time</dt><dd>${report.numerator}</dd></div>
<div><dt>met late</dt><dd>${report.metLate}</dd></div>
<div><dt>overdue</dt><dd>${report.overdue}</dd></div>
<div><dt>discharged overdue</dt><dd>${report.dischargedOverdue}</dd></div>
</dl>
</section>
${report.denominatorExclusion ? `<p class="excluded">${escape(notCountedLine(report).replace(/^not counted/, 'Not counted'))}.</p>` : ''}
<h2>On-time rate</h2>
${rateChart('chart-by-rule', 'By rule', byCode, report.rate, labelWidth)}
${rateChart('chart-by-specialist', 'By specialist', bySpecialist, report.rate, labelWidth)}
<h2>Counts</h2>
<table class="counts">
${countsHead('rule')}
<tbody>
${countsRows(byCode, [total, report])}
</tbody>
</table>
<table class="counts">
${countsHead('specialist')}
<tbody>
${countsRows(bySpecialist)}
</tbody>
</table>
<h2>Late and overdue (${report.lateItems.length})</h2>
${
  report.lateItems.length
    ? `<table>
<thead><tr><th scope="col">due</th><th scope="col" class="left">Task</th><th scope="col" class="left">rule</th><th scope="col" class="left">specialist</th><th scope="col" class="left">outcome</th></tr></thead>
<tbody>
${late}
</tbody>
</table>`
    : '<p>None.</p>'
}
<p class="note">Due: requirement Tasks whose due date falls in the period, less those waived, superseded or withdrawn, and less those cancelled at discharge before they were due. On time: met on or before the due date. Measure https://fhir.care-episodes.org/Measure/timely-documentation.</p>
</main>
</body>
</html>
`;
}
