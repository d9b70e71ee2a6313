/**
 * One client's episode in the program, from admission to the Discharge Plan: every documentation
 * requirement becomes a FHIR Task owned by the specialist, with its due date, and follows the
 * clock and the record until it is met, waived, superseded or cancelled.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  deprecatePatch,
  log,
  metricMeter,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import { runIsLong } from '../run-length.ts';
import { searchAttributeUpserter } from '../search-attribute-upserts.ts';
import type { EpisodeActivities, EvidenceFound, EvidenceSearch, RequirementTaskWrite, RequirementTaskWritten } from '../../domain/episode/episode-activities.ts';
import { applyEvent, isDuplicate, isOlderThanApplied } from '../../domain/episode/apply-event.ts';
import { carryOver } from '../../domain/episode/carry-over.ts';
import { escalationClosedMeanwhile } from '../../domain/episode/requirements.ts';
import { DEPRECATED_PATCH_IDS, PATCH_IDS, type EpisodePatches } from '../../domain/episode/patches.ts';
import { type EpisodeEvent, parseEpisodeEvent } from '../../domain/episode/events.ts';
import { type EpisodeConfig, type EpisodeInput, episodeInputSchema } from '../../domain/episode/input.ts';
import { LOCAL_ATTEMPT, locallyFirst } from './local-first.ts';
import { episodeEvent, type EventReceipt, getState, recordEvent } from './messages.ts';
import { evidenceSearchFor, reconcile, startDeadlines } from '../../domain/episode/reconcile.ts';
import { advance, nextWakeUp } from '../../domain/episode/schedule.ts';
import { type EpisodeState, initialState } from '../../domain/episode/state.ts';
import { currentDetailsOf, searchAttributesOf } from './view.ts';
import { wakeUpTimers } from '../wake-up-timer.ts';
import { answerLabel, failedWrites, writeRetryDelayMs } from '../../domain/episode/write-failure.ts';
import { nextTaskToWrite, taskChangedInEhr, taskWriteOf, withTaskRefused, withTaskWritten } from '../../domain/episode/task-sync.ts';
import { refusalOfFailedCall } from '../failed-call.ts';
import { nextSpecialistMessage, specialistInputOf, startTellingSpecialist, withSpecialistTold, withSpecialistUntold } from '../../domain/episode/specialist-outbox.ts';

// The activities by their registered types (`writeRequirementTask`, `findEvidence`); inside the
// workflow a Task is written (`writeTask`, `syncTasks`) and evidence found (`findEvidence`, `findStartEvidence`).
const activities = proxyActivities<EpisodeActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});
/** When a failed write is the episode's to retry (see write-failure.ts): five attempts, 2 s to 16 s apart, then it hands the last failure back. */
const briefActivities = proxyActivities<EpisodeActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});
const localActivities = proxyLocalActivities<EpisodeActivities>(LOCAL_ATTEMPT);

const taskWriteFailures = metricMeter.createCounter('care_task_write_failures', 'writes', 'Task writes the FHIR server refused or did not answer, by HTTP status (0: no answer) and code');

/** One Task write: a local activity first when its patch is in effect (see local-first.ts). */
function writeTask(write: RequirementTaskWrite): Promise<RequirementTaskWritten> {
  const ordinary = () => (patches.refusedWritesWaitOnBackoff ? briefActivities : activities).writeRequirementTask(write);
  if (!patches.writesLocallyFirst) return ordinary();
  const what = `Task ${write.requirement.key} ${write.requirement.stage}`;
  return locallyFirst(() => localActivities.writeRequirementTask.executeWithOptions({ summary: what }, [write]), ordinary, what);
}

/** One evidence search: a local activity first when its patch is in effect. */
function findEvidence(search: EvidenceSearch): Promise<EvidenceFound> {
  const ordinary = () => activities.findEvidence(search);
  if (!patches.writesLocallyFirst) return ordinary();
  const what = `evidence for ${search.items.length} requirement(s)`;
  return locallyFirst(() => localActivities.findEvidence.executeWithOptions({ summary: what }, [search]), ordinary, what);
}

export interface EpisodeResult {
  episodeOfCare: string;
  closedReason: EpisodeState['closedReason'];
  dischargeDate?: string;
}

function parseInput(input: EpisodeInput): EpisodeConfig {
  try {
    return episodeInputSchema.parse(input);
  } catch (error) {
    // A bad start input can never succeed: fail the workflow rather than retry its task forever.
    throw ApplicationFailure.nonRetryable(`invalid episode input: ${(error as Error).message}`, 'InvalidEpisodeInput');
  }
}

/** Each flag asks `patched()` only when a reducer reaches the branch where old and new logic differ. */
const patches = Object.defineProperties(
  {},
  Object.fromEntries(Object.entries(PATCH_IDS).map(([flag, patchId]) => [flag, { get: () => patched(patchId) }])),
) as EpisodePatches;

export async function clientEpisode(input: EpisodeInput, carried?: EpisodeState): Promise<EpisodeResult> {
  let state = carried ?? initialState(parseInput(input));
  let dirty = false;
  // Before the handlers: a contact in the signal that started the episode is told too.
  if (patches.tellsSpecialist) state = startTellingSpecialist(state, Date.now());

  const apply = (event: EpisodeEvent): EventReceipt => {
    if (isDuplicate(state, event)) return { eventId: event.eventId, outcome: 'duplicate' };
    if (isOlderThanApplied(state, event)) {
      deprecatePatch(DEPRECATED_PATCH_IDS.ignoresOlderSourceVersions);
      return { eventId: event.eventId, outcome: 'older' };
    }
    state = applyEvent(state, event, Date.now(), patches);
    dirty = true;
    return { eventId: event.eventId, outcome: 'applied' };
  };
  setHandler(recordEvent, (event) => apply(parseEpisodeEvent(event)), {
    validator: (event) => void parseEpisodeEvent(event),
  });
  setHandler(episodeEvent, (payload) => {
    try {
      apply(parseEpisodeEvent(payload));
    } catch (error) {
      log.warn('episode event signal ignored', { reason: (error as Error).message });
    }
  });
  setHandler(getState, () => state);

  if (!state.reconciled) {
    const now = Date.now();
    const deadlines = startDeadlines(state, now, patches);
    const search = evidenceSearchFor(state, deadlines, now);
    const found = search ? await findStartEvidence(search) : {};
    // Read `state` only after the await: events may have been applied meanwhile.
    state = reconcile(state, deadlines, found, Date.now(), patches);
  }

  const timers = wakeUpTimers();
  const upsertAttributes = searchAttributeUpserter();
  for (;;) {
    dirty = false;
    state = advance(state, Date.now(), patches);
    await syncTasks();
    if (patches.tellsSpecialist) await tellSpecialists();
    publishView();
    if (state.status === 'closed' && failedWrites(state).length === 0 && !state.specialistOutbox?.length) break;
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      await syncTasks();
      return continueAsNew<typeof clientEpisode>(input, carryOver(state, Date.now()));
    }
    const wakeUp = nextWakeUp(state, Date.now());
    if (patches.keepsWakeUpTimer) await timers.sleepUntil(wakeUp, () => dirty);
    else if (wakeUp) await condition(() => dirty, Math.max(1, wakeUp.at - Date.now()), { summary: wakeUp.summary });
    else await condition(() => dirty);
  }

  await condition(allHandlersFinished);
  return { episodeOfCare: state.config.episodeOfCare, closedReason: state.closedReason, dischargeDate: state.dischargeDate };

  /**
   * Writes every Task that lags behind its requirement, in the order the requirements arose. Events
   * arriving meanwhile add more, so it stops once the run should continue as new: the next run
   * writes the rest (`carryOver` keeps every unsynced requirement).
   */
  async function syncTasks(): Promise<void> {
    for (let requirement = nextTaskToWrite(state, Date.now()); requirement; requirement = nextTaskToWrite(state, Date.now())) {
      if (shouldContinueAsNew() && patches.writesYieldToContinueAsNew) return;
      let written: RequirementTaskWritten;
      try {
        written = await writeTask(taskWriteOf(state, requirement, Date.now()));
      } catch (error) {
        const refusal = refusalOfFailedCall(error);
        if (!refusal || !patches.refusedWritesWaitOnBackoff) throw error;
        taskWriteFailures.add(1, { status: String(refusal.status), code: refusal.code });
        state = withTaskRefused(state, requirement.key, refusal, Date.now());
        continue;
      }
      let current = state.requirements[requirement.key];
      if (!current) {
        deprecatePatch(DEPRECATED_PATCH_IDS.closesEscalationWrittenMeanwhile);
        current = escalationClosedMeanwhile(state, requirement, written.taskId);
        if (!current) continue;
      }
      state = withTaskWritten(state, requirement, current, written.taskId);
      const changed = taskChangedInEhr(written);
      if (changed) apply(changed);
    }
  }

  /**
   * Delivers the specialist outbox in order, each a local activity first (a signal takes
   * milliseconds); one that fails stays for its retry and the episode goes on. An episode that ran
   * before the patch tells its assignment first.
   */
  async function tellSpecialists(): Promise<void> {
    state = startTellingSpecialist(state, Date.now());
    for (let message = nextSpecialistMessage(state, Date.now()); message; message = nextSpecialistMessage(state, Date.now())) {
      if (shouldContinueAsNew()) return;
      const telling = { input: specialistInputOf(state, message.specialist), event: message.event };
      const what = `${message.event.type} to ${message.specialist}`;
      try {
        await locallyFirst(
          () => localActivities.tellSpecialist.executeWithOptions({ summary: what }, [telling]),
          () => briefActivities.tellSpecialist.executeWithOptions({ summary: what }, [telling]),
          what,
        );
        state = withSpecialistTold(state, message);
      } catch (error) {
        state = withSpecialistUntold(state, message, refusalOfFailedCall(error) ?? { status: 0, code: 'failed' }, Date.now());
      }
    }
  }

  /** The start's evidence search; a refusal waits on the same backoff as a refused write (nothing else runs before the start is reconciled). */
  async function findStartEvidence(search: EvidenceSearch): Promise<EvidenceFound> {
    for (let attempts = 1; ; attempts++) {
      try {
        return await findEvidence(search);
      } catch (error) {
        const refusal = refusalOfFailedCall(error);
        if (!refusal || !patches.refusedWritesWaitOnBackoff) throw error;
        await sleep(writeRetryDelayMs(attempts), { summary: `evidence search retry after ${answerLabel(refusal)}` });
      }
    }
  }

  /** Current details on every pass (they are no history event); search attributes when they changed. */
  function publishView(): void {
    upsertAttributes(searchAttributesOf(state), () => !patches.upsertsSearchAttributesOnChange);
    setCurrentDetails(currentDetailsOf(state, Date.now()));
  }

  function shouldContinueAsNew(): boolean {
    return runIsLong(state.config.historyEventsPerRun);
  }
}
