/**
 * One specialist's caseload and contact hours, for years: the episodes tell it who is on the
 * caseload and what contacts took how long; the week's end (Monday 00:00 local) writes that week's
 * MeasureReport and weighs the rolling average; CASELOAD and CONTACT-HOURS Tasks follow the rules
 * (domain/specialist/). This shell only orchestrates: the decisions are the domain's.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
} from '@temporalio/workflow';
import { runIsLong } from '../run-length.ts';
import { searchAttributeUpserter } from '../search-attribute-upserts.ts';
import type { SpecialistActivities } from '../../domain/specialist/specialist-activities.ts';
import type { SpecialistInput } from '../../domain/specialist/input.ts';
import type { SpecialistEvent } from '../../domain/specialist/events.ts';
import { parseSpecialistEvent } from '../../domain/specialist/parse-event.ts';
import { applySpecialistEvent, isDuplicate } from '../../domain/specialist/apply-event.ts';
import { assignmentOf, checkAssignmentRequest } from '../../domain/specialist/assignment.ts';
import { completeWeeksBy, nextWeekEnd } from '../../domain/specialist/contact-hours.ts';
import { carryOver } from '../../domain/specialist/carry-over.ts';
import { initialSpecialistState } from '../../domain/specialist/initial-state.ts';
import { caseloadSummaryOf } from '../../domain/specialist/summary.ts';
import type { SpecialistState } from '../../domain/specialist/state.ts';
import {
  nextWrite,
  nextWriteRetryAt,
  reportWriteOf,
  taskWriteOf,
  withReportRefused,
  withReportWritten,
  withTaskRefused,
  withTaskWritten,
} from '../../domain/specialist/outbox.ts';
import { refusalOfFailedCall } from '../failed-call.ts';
import { wakeUpTimers } from '../wake-up-timer.ts';
import { taskChangedInEhr } from '../../domain/episode/task-sync.ts';
import { getCaseload, requestAssignment, specialistEvent } from './messages.ts';
import { specialistDetailsOf, specialistSearchAttributesOf } from './view.ts';

/** As the episode's refused writes: five attempts 2 s to 16 s apart, then the workflow's own backoff (write-failure.ts). */
const activities = proxyActivities<SpecialistActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

function initialState(input: SpecialistInput): SpecialistState {
  try {
    return initialSpecialistState(input, Date.now());
  } catch (error) {
    throw ApplicationFailure.nonRetryable((error as Error).message, 'InvalidSpecialistInput');
  }
}

export async function specialistWorkload(input: SpecialistInput, carried?: SpecialistState): Promise<never> {
  let state = carried ?? initialState(input);
  let dirty = false;

  const apply = (event: SpecialistEvent) => {
    if (isDuplicate(state, event.eventId)) return;
    state = applySpecialistEvent(state, event, Date.now());
    dirty = true;
  };
  setHandler(specialistEvent, (payload) => {
    try {
      apply(parseSpecialistEvent(payload));
    } catch (error) {
      log.warn('specialist event signal ignored', { reason: (error as Error).message });
    }
  });
  setHandler(
    requestAssignment,
    (request) => {
      const decided = assignmentOf(state, request, Date.now());
      if (decided.state !== state) {
        state = decided.state;
        dirty = true;
      }
      return decided.answer;
    },
    { validator: (request) => void checkAssignmentRequest(request) },
  );
  setHandler(getCaseload, (options) => caseloadSummaryOf(state, options?.weeks));

  const timers = wakeUpTimers();
  const upsertAttributes = searchAttributeUpserter();
  for (;;) {
    dirty = false;
    state = completeWeeksBy(state, Date.now());
    await writeOutbox();
    publishView();
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof specialistWorkload>(input, carryOver(state));
    }
    const weekEnd = nextWeekEnd(state, Date.now());
    const retryAt = nextWriteRetryAt(state);
    const wakeUp = retryAt !== undefined && retryAt < weekEnd ? { at: retryAt, summary: 'retry of refused writes' } : { at: weekEnd, summary: `week end ${new Date(weekEnd).toISOString()}` };
    await timers.sleepUntil(wakeUp, () => dirty);
  }

  /** Every report and Task that lags, until the run should continue as new (the next run writes the rest). */
  async function writeOutbox(): Promise<void> {
    for (let write = nextWrite(state, Date.now()); write && !shouldContinueAsNew(); write = nextWrite(state, Date.now())) {
      try {
        if (write.kind === 'report') {
          const report = reportWriteOf(state, write.week, Date.now());
          const written = await activities.writeContactHoursReport.executeWithOptions({ summary: `MeasureReport ${write.week}` }, [report]);
          state = withReportWritten(state, report, written.reportId);
        } else {
          const task = taskWriteOf(state, write.index, Date.now());
          const written = await activities.writeSpecialistTask.executeWithOptions({ summary: `Task ${task.task.code}/${task.task.n} ${task.task.businessStatus}` }, [task]);
          state = withTaskWritten(state, task, written.taskId);
          const changed = taskChangedInEhr(written);
          if (changed) apply(changed);
        }
      } catch (error) {
        const refusal = refusalOfFailedCall(error);
        if (!refusal) throw error;
        state = write.kind === 'report' ? withReportRefused(state, write.week, refusal, Date.now()) : withTaskRefused(state, write.index, refusal, Date.now());
      }
    }
  }

  /** Current details on every pass (no history event; their first line is the live summary); search attributes when they changed. */
  function publishView(): void {
    upsertAttributes(specialistSearchAttributesOf(state));
    setCurrentDetails(specialistDetailsOf(state, Date.now()));
  }

  function shouldContinueAsNew(): boolean {
    return runIsLong(state.config.historyEventsPerRun);
  }
}
