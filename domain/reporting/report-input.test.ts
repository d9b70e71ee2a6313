import { expect, test } from 'vitest';
import { timelinessReportInputProblem } from './report-input.ts';

const policy = { timeZone: 'America/Chicago' };

test.each([
  [{ agency: 'Organization/a1', policy }, undefined],
  [{ agency: 'Organization/a1', month: '2026-01', policy }, undefined],
  [{ agency: 'Practitioner/a1', policy }, 'agency: not an Organization reference'],
  [{ agency: 'Organization/a1', month: '2026-13', policy }, 'month: not a month (YYYY-MM)'],
  [{ agency: 'Organization/a1', month: '2026-1', policy }, 'month: not a month (YYYY-MM)'],
  [{ agency: 'Organization/a1', policy: { timeZone: 'America/Springfield' } }, 'policy.timeZone: not an IANA time zone'],
])('%j: %s', (input, problem) => {
  expect(timelinessReportInputProblem(input)).toBe(problem);
});
