import { expect, test } from 'vitest';
import { representativeReport } from '../test/reporting/representative-report.ts';
import { reportPage } from './report-page.ts';

test('one page, self-contained: no script, no link, no source or URL to fetch', () => {
  const page = reportPage(representativeReport());
  expect(page).toMatch(/^<!DOCTYPE html>/);
  expect(page).toContain('<title>On-time documentation, 2026-11</title>');
  for (const fetched of [/<script/i, /<link/i, /<img/i, /<iframe/i, /\ssrc=/i, /\shref=/i, /url\(/i, /@import/i, /@font-face/i]) expect(page).not.toMatch(fetched);
  expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
});

test('two charts, a bar per rule and per specialist, with the agency as reference line', () => {
  const page = reportPage(representativeReport());
  const chart = (id: string) => page.slice(page.indexOf(`<svg id="${id}"`), page.indexOf('</svg>', page.indexOf(`<svg id="${id}"`)));
  expect(chart('chart-by-rule').match(/<rect class="bar"/g)).toHaveLength(6);
  expect(chart('chart-by-specialist').match(/<rect class="bar"/g)).toHaveLength(4);
  for (const id of ['chart-by-rule', 'chart-by-specialist']) {
    expect(chart(id)).toContain('>agency 81%</text>');
    expect(chart(id)).toContain('>100 %</text>');
  }
  expect(chart('chart-by-rule')).toContain('>89% (8/9)</text>');
  expect(page.match(/<span class="outcome /g)).toHaveLength(9);
});

test('everything interpolated is escaped', () => {
  const report = representativeReport();
  const hostile = '<script>alert("x")</script>&\'';
  report.byCode[hostile] = { denominator: 1, numerator: 0, metLate: 1, overdue: 0, dischargedOverdue: 0, rate: 0 };
  report.bySpecialist[`Practitioner/${hostile}`] = { denominator: 0, numerator: 0, metLate: 0, overdue: 0, dischargedOverdue: 0, rate: null };
  report.lateItems.push({ task: `Task/${hostile}`, code: hostile, owner: hostile, dueDate: '2026-11-30', outcome: 'met-late' });
  const page = reportPage(report, `Practitioner/${hostile}`);
  expect(page).not.toContain('<script');
  expect(page).not.toContain('alert("x")');
  expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
  expect(page).toContain('nothing due');
});
