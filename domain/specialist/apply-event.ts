/**
 * The specialist's state after one event (or one assignment through the CLI). Pure: the workflow
 * passes its clock. A repeated event id is ignored; the ids kept are bounded (`EVENT_IDS_KEPT`),
 * which is enough because the episodes and the intake repeat an event soon or not at all.
 */
import type { SpecialistEvent } from './events.ts';
import { afterCaseloadChange, approvedInEhr, caseloadCount } from './caseload.ts';
import { evaluateAverage, withWeek } from './contact-hours.ts';
import { isOpenTask, type SpecialistState } from './state.ts';
import { weekOfInstant } from './weeks.ts';

export const EVENT_IDS_KEPT = 2000;

export function isDuplicate(state: SpecialistState, eventId: string): boolean {
  return state.eventIds.includes(eventId);
}

function withEventId(state: SpecialistState, eventId: string): SpecialistState {
  const eventIds = [...state.eventIds, eventId];
  return { ...state, eventIds: eventIds.length > EVENT_IDS_KEPT ? eventIds.slice(-EVENT_IDS_KEPT) : eventIds };
}

export function applySpecialistEvent(state: SpecialistState, event: SpecialistEvent, now: number): SpecialistState {
  return applyToState(withEventId(state, event.eventId), event, now);
}

function applyToState(state: SpecialistState, event: SpecialistEvent, now: number): SpecialistState {
  switch (event.type) {
    case 'episode-assigned': {
      const supervised = { ...state, supervisor: event.supervisor };
      const known = state.episodes[event.episodeOfCare];
      const sameCodes = known?.levelOfCare && known.levelOfCare.join('|') === event.levelOfCare.join('|');
      if (sameCodes) return supervised;
      const episode = { episodeOfCare: event.episodeOfCare, levelOfCare: event.levelOfCare, assignedAt: known?.assignedAt ?? Date.parse(event.at) };
      const next = { ...supervised, episodes: { ...state.episodes, [event.episodeOfCare]: episode } };
      return caseloadCount(next) === caseloadCount(state) ? next : afterCaseloadChange(next, now, event.episodeOfCare);
    }
    case 'episode-released': {
      if (!state.episodes[event.episodeOfCare]) return state;
      const { [event.episodeOfCare]: _released, ...episodes } = state.episodes;
      const next = { ...state, episodes };
      return caseloadCount(next) === caseloadCount(state) ? next : afterCaseloadChange(next, now, undefined);
    }
    case 'contact-recorded':
      return withContact(state, event, now);
    case 'task-changed': {
      const task = state.tasks.find((each) => each.taskId === event.taskId);
      if (!task || !isOpenTask(task) || (event.status !== 'completed' && event.status !== 'cancelled')) return state;
      const at = Date.parse(event.at);
      if (task.code === 'CASELOAD' && event.status === 'completed') return approvedInEhr(state, task, event.owner ?? task.owner, at);
      // Ended in the EHR otherwise: left as the EHR has it (a new Task opens when the rule next fires).
      return { ...state, tasks: state.tasks.map((each) => (each === task ? { ...task, endedInEhr: event.status as 'completed' | 'cancelled', closedAt: at, synced: true } : each)) };
    }
  }
}

/** One Encounter counts once, in the week of its start: a newer version replaces the older, in whichever week. */
function withContact(state: SpecialistState, event: Extract<SpecialistEvent, { type: 'contact-recorded' }>, now: number): SpecialistState {
  const week = weekOfInstant(Date.parse(event.start), state.config.policy.timeZone);
  if (week.week < state.horizonWeek) return state;
  const previous = Object.values(state.weeks).find((each) => each.contacts[event.encounterId]);
  const old = previous?.contacts[event.encounterId];
  if (old?.sourceUpdatedAt && event.sourceUpdatedAt && event.sourceUpdatedAt < old.sourceUpdatedAt) return state;
  const contact = { kind: event.kind, minutes: event.minutes, travelMinutes: event.travelMinutes, ...(event.sourceUpdatedAt ? { sourceUpdatedAt: event.sourceUpdatedAt } : {}) };
  let next = withWeek(state, week);
  const weeks = { ...next.weeks };
  if (previous && previous.week !== week.week) {
    const { [event.encounterId]: _moved, ...contacts } = previous.contacts;
    weeks[previous.week] = reported({ ...previous, contacts });
  }
  const target = weeks[week.week]!;
  weeks[week.week] = reported({ ...target, contacts: { ...target.contacts, [event.encounterId]: contact } });
  next = { ...next, weeks };
  // A late contact (a complete week) corrects its week's report, and may move the average.
  return previous?.complete || weeks[week.week]!.complete ? evaluateAverage(next, now) : next;
}

/** A complete week whose contacts changed: its report is written again. */
function reported<T extends { complete: boolean; report?: { synced: boolean } }>(week: T): T {
  return week.complete ? { ...week, report: { ...week.report, synced: false } } : week;
}
