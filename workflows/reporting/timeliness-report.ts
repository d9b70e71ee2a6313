/**
 * A month's timeliness report (issue 14): one activity searches the Tasks, computes and writes the
 * reports, so the Tasks never enter history; the workflow answers with their ids and the counts.
 * Idempotent: run again for the same month, it replaces the same resources. Started monthly by the
 * Schedule `timeliness-report-monthly` (no month: the month before) and on demand with a month.
 */
import { ApplicationFailure, log, proxyActivities, setCurrentDetails, sleep } from '@temporalio/workflow';
import { refusalOfFailedCall } from '../failed-call.ts';
import type { ReportingActivities, TimelinessReportsWritten } from '../../domain/reporting/reporting-activities.ts';
import { timelinessReportInputProblem, type TimelinessReportInput } from '../../domain/reporting/report-input.ts';
import { monthBefore } from '../../domain/reporting/report-month.ts';

/** A month of Tasks is a few thousand: pages of 200, then a write per specialist. */
const activities = proxyActivities<ReportingActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export type TimelinessReportResult = TimelinessReportsWritten & { month: string };

export async function timelinessReport(input: TimelinessReportInput): Promise<TimelinessReportResult> {
  const problem = timelinessReportInputProblem(input);
  if (problem) throw ApplicationFailure.nonRetryable(problem, 'InvalidTimelinessReportInput');
  const now = Date.now();
  const month = input.month ?? monthBefore(now, input.policy.timeZone);
  const write = { agency: input.agency, month, timeZone: input.policy.timeZone, now };
  // An EHR's refusal (a 4xx the activity does not retry) is shown and tried again an hour later.
  for (;;) {
    try {
      const written = await activities.writeTimelinessReports(write);
      setCurrentDetails(`Timeliness report ${month}: ${written.counts.numerator}/${written.counts.denominator} on time, ${written.summary.report}`);
      return { ...written, month };
    } catch (error) {
      const refusal = refusalOfFailedCall(error);
      if (!refusal) throw error;
      log.warn('timeliness report refused', { month, status: refusal.status, code: refusal.code });
      setCurrentDetails(`Timeliness report ${month}: the FHIR server answered ${refusal.status} ${refusal.code}; trying again in an hour`);
      await sleep('1 hour');
    }
  }
}
