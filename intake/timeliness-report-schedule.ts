/**
 * The timeliness report's Temporal Schedule (`timeliness-report-monthly`: the 1st of every month at
 * 00:30 in the agency's zone, for the month before) and its on-demand run for a given month.
 */
import { type Client, ScheduleAlreadyRunning, type ScheduleOptions } from '@temporalio/client';
import { idOf } from '../domain/fhir/ids.ts';
import type { TimelinessReportInput } from '../domain/reporting/report-input.ts';
import type { TimelinessReportResult } from '../workflows/reporting/timeliness-report.ts';
import type { timelinessReport } from '../workflows/index.ts';

export const TIMELINESS_SCHEDULE_ID = 'timeliness-report-monthly';
/** When the Schedule starts the report: the first day of the month, local. */
export const TIMELINESS_SCHEDULE_AT = { dayOfMonth: 1, hour: 0, minute: 30 } as const;

export interface ReportScheduleOptions {
  taskQueue: string;
  agency: string;
  timeZone: string;
}

function scheduleOptions({ taskQueue, agency, timeZone }: ReportScheduleOptions): ScheduleOptions {
  const input: TimelinessReportInput = { agency, policy: { timeZone } };
  return {
    scheduleId: TIMELINESS_SCHEDULE_ID,
    spec: { calendars: [TIMELINESS_SCHEDULE_AT], timezone: timeZone },
    action: { type: 'startWorkflow', workflowType: 'timelinessReport', taskQueue, workflowId: `timeliness-report-${idOf(agency)}`, args: [input] },
    // A month missed while Temporal was down is still reported when it is back (within a week).
    policies: { overlap: 'BUFFER_ONE', catchupWindow: '7 days' },
  };
}

/** Creates the Schedule, or brings an existing one to these options (agency, zone, task queue). */
export async function ensureReportSchedule(client: Client, options: ReportScheduleOptions): Promise<'created' | 'updated'> {
  const wanted = scheduleOptions(options);
  try {
    await client.schedule.create(wanted);
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await client.schedule.getHandle(TIMELINESS_SCHEDULE_ID).update((previous) => ({ ...previous, spec: wanted.spec, action: wanted.action, policies: { ...previous.policies, ...wanted.policies } }));
  return 'updated';
}

/** The report of `month` (YYYY-MM) now, waiting for it; one run per agency and month at a time. */
export async function runTimelinessReport(client: Client, month: string, options: ReportScheduleOptions): Promise<TimelinessReportResult> {
  const input: TimelinessReportInput = { month, agency: options.agency, policy: { timeZone: options.timeZone } };
  const handle = await client.workflow.start<typeof timelinessReport>('timelinessReport', {
    workflowId: `timeliness-report-${idOf(options.agency)}-${month}`,
    taskQueue: options.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return handle.result();
}
