/**
 * History events per episode-year, on the time-skipping server over several years: an idle episode
 * (only the clock) and a busy one (a face-to-face contact every week, and every open documentation
 * requirement completed within the week it opens). Counted over every run of the continue-as-new chain.
 */
import type { temporal } from '@temporalio/proto';
import { figure, type Figure } from '../figures.ts';
import { startEpisode, syntheticEpisode } from '../stack/episodes.ts';
import type { TimeSkippingStack } from '../stack/time-skipping-stack.ts';
import { episodeWorkflowId } from '../../domain/episode/input.ts';
import { getState, recordEvent } from '../../workflows/episode/messages.ts';
import { OPEN_STAGES } from '../../domain/episode/state.ts';
import { localDateOf, startOfLocalDay } from '../../domain/rules/index.ts';

const DAY_MS = 86_400_000;
const ZONE = 'America/Chicago';
const DOCUMENTED = new Set(['CIP-INITIAL', 'CIP-REVIEW', 'CIP-ANNUAL', 'ANNUAL-ASSESSMENT', 'QR', 'NOTE-INDIVIDUAL', 'NOTE-COLLATERAL', 'NOTE-TREATMENT-TEAM', 'NOTE-CRISIS', 'DISCHARGE-PLAN']);

async function historyEvents(stack: TimeSkippingStack, workflowId: string, firstRunId: string): Promise<number> {
  let total = 0;
  for (let runId: string | undefined = firstRunId; runId; ) {
    const history = await stack.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
    total += events.length;
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return total;
}

/** The busy episode's week: a contact today, its note and every other open document completed. */
async function diligentWeek(stack: TimeSkippingStack, episodeId: string, week: number, now: number): Promise<void> {
  const handle = stack.client.workflow.getHandle(episodeWorkflowId(episodeId));
  const today = localDateOf(now, ZONE);
  await handle.executeUpdate(recordEvent, {
    args: [{ type: 'contact-recorded', eventId: `Encounter/w${week}/_history/1`, encounterId: `w${week}`, kind: 'face-to-face', date: today }],
  });
  const state = await handle.query(getState);
  for (const requirement of Object.values(state.requirements)) {
    if (!OPEN_STAGES.includes(requirement.stage) || !DOCUMENTED.has(requirement.code)) continue;
    const id = `qr-${requirement.key.replace(/[^A-Za-z0-9\-.]/g, '.')}`.slice(0, 64);
    await handle.executeUpdate(recordEvent, {
      args: [{ type: 'document-completed', eventId: `QuestionnaireResponse/${id}/_history/1`, requirement: requirement.code as never, cycle: requirement.cycle, questionnaireResponseId: id, completedAt: new Date(now).toISOString() }],
    });
  }
}

export async function measureHistoryPerYear(stack: TimeSkippingStack, taskQueue: string, years: number): Promise<Figure[]> {
  const admission = localDateOf(await stack.now(), ZONE);
  const idle = await startEpisode(stack.client, syntheticEpisode('hist-idle', admission), taskQueue);
  const busy = await startEpisode(stack.client, syntheticEpisode('hist-busy', admission), taskQueue);
  const start = startOfLocalDay(admission, ZONE) + 12 * 3_600_000;
  const weeks = Math.round((years * 365.25) / 7);
  for (let week = 1; week <= weeks; week++) {
    const now = start + week * 7 * DAY_MS;
    await stack.skipTo(now);
    await diligentWeek(stack, 'hist-busy', week, now);
  }
  const idleEvents = await historyEvents(stack, idle.workflowId, idle.firstExecutionRunId);
  const busyEvents = await historyEvents(stack, busy.workflowId, busy.firstExecutionRunId);
  const perYear = (events: number) => events / years;
  return [
    figure(`history events per episode-year, idle (${years} y)`, perYear(idleEvents), 'events/y', { target: '<= 1000', met: perYear(idleEvents) <= 1000 }),
    figure(`history events per episode-year, weekly contact + all documents (${years} y)`, perYear(busyEvents), 'events/y', {
      target: '<= 1000',
      met: perYear(busyEvents) <= 1000,
    }),
  ];
}
