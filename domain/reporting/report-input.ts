/**
 * What starts a timeliness report: the agency, its time zone, and the month (none: the month before
 * the run, in the agency's zone, which is what the monthly Schedule starts). Checked without zod:
 * the workflow sandbox imports it.
 */
import type { AgencyPolicy } from '../rules/index.ts';
import { referencePattern } from '../fhir/ids.ts';
import { isReportMonth } from './report-month.ts';

export interface TimelinessReportInput {
  /** `YYYY-MM`; undefined: the month before now in the agency's zone. */
  month?: string;
  /** `Organization/<id>`: the reporter. */
  agency: string;
  policy: Pick<AgencyPolicy, 'timeZone'>;
}

const ORGANIZATION = referencePattern('Organization');

function isTimeZone(timeZone: unknown): boolean {
  if (typeof timeZone !== 'string' || timeZone === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** What is wrong with the input, in one line (field names only), or undefined. */
export function timelinessReportInputProblem(input: TimelinessReportInput): string | undefined {
  if (typeof input?.agency !== 'string' || !ORGANIZATION.test(input.agency)) return 'agency: not an Organization reference';
  if (input.month !== undefined && (typeof input.month !== 'string' || !isReportMonth(input.month))) return 'month: not a month (YYYY-MM)';
  if (!isTimeZone(input.policy?.timeZone)) return 'policy.timeZone: not an IANA time zone';
  return undefined;
}
