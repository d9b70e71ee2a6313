/**
 * CONTACT-HOURS: a week's hours (the policy's counted kinds; a contact's minutes plus its travel
 * time), the rolling average over the last complete weeks, and the CONTACT-HOURS Task that an
 * average under its target opens for the supervisor at a week's end; it closes by itself
 * (`back-within`) once the average is back at target.
 */
import { addCalendarDays, type Instant } from '../calendar/local-date.ts';
import type { Contact, SpecialistState, SpecialistTask, WeekRecord } from './state.ts';
import { openTaskOf } from './state.ts';
import { nextWeek, type Week, weekEndsAt, weekOfInstant, weekTargetHours } from './weeks.ts';

export interface WeekFigures extends Week {
  contactHours: number;
  targetHours: number;
  /** Contacts counted. */
  contacts: number;
}

export const roundHours = (hours: number) => Math.round(hours * 100) / 100;

function counted(state: SpecialistState, contact: Contact): boolean {
  return state.config.policy.contactHours.countedKinds.includes(contact.kind);
}

export function figuresOf(state: SpecialistState, week: WeekRecord): WeekFigures {
  const contacts = Object.values(week.contacts).filter((contact) => counted(state, contact));
  const minutes = contacts.reduce((sum, contact) => sum + contact.minutes + contact.travelMinutes, 0);
  return {
    week: week.week,
    start: week.start,
    contactHours: roundHours(minutes / 60),
    targetHours: roundHours(weekTargetHours(week, state.config.policy)),
    contacts: contacts.length,
  };
}

/** Every week that ended, with its report, oldest first: those before the first whole week too (contacts reported late). */
export function reportedWeeks(state: SpecialistState): WeekRecord[] {
  return Object.values(state.weeks)
    .filter((week) => week.complete)
    .sort((a, b) => a.start.localeCompare(b.start));
}

/**
 * Complete weeks the average may count, oldest first: from the first whole week the workflow saw,
 * since contacts of the weeks before it ran reach it only when reported late.
 */
export function completeWeeks(state: SpecialistState): WeekRecord[] {
  return reportedWeeks(state).filter((week) => week.week >= state.firstFullWeek);
}

export interface RollingAverage {
  weeks: number;
  /** The last week's Sunday. */
  through: string;
  averageHours: number;
  averageTargetHours: number;
}

/** Over the last `rollingWeeks` complete weeks; undefined until that many have passed (`partial`: over those there are, if any). */
export function rollingAverage(state: SpecialistState, partial = false): RollingAverage | undefined {
  const window = completeWeeks(state).slice(-state.config.policy.contactHours.rollingWeeks);
  if (window.length === 0 || (!partial && window.length < state.config.policy.contactHours.rollingWeeks)) return undefined;
  const figures = window.map((week) => figuresOf(state, week));
  const mean = (values: number[]) => roundHours(values.reduce((sum, value) => sum + value, 0) / values.length);
  const through = addCalendarDays(window.at(-1)!.start, 6);
  return { weeks: window.length, through, averageHours: mean(figures.map((f) => f.contactHours)), averageTargetHours: mean(figures.map((f) => f.targetHours)) };
}

function emptyWeek(week: Week): WeekRecord {
  return { ...week, contacts: {}, complete: false };
}

/** The state with a record of `week` (new ones empty). */
export function withWeek(state: SpecialistState, week: Week): SpecialistState {
  return state.weeks[week.week] ? state : { ...state, weeks: { ...state.weeks, [week.week]: emptyWeek(week) } };
}

/** Every week that ended by `now` is complete, its report due; weeks without contacts too, up to the current week. */
export function completeWeeksBy(state: SpecialistState, now: Instant): SpecialistState {
  const timeZone = state.config.policy.timeZone;
  const current = weekOfInstant(now, timeZone);
  let next = withWeek(state, current);
  const weeks = { ...next.weeks };
  // Fill the gaps: a week without a contact has a report too (0 hours).
  const earliest = Object.values(weeks).reduce((a, b) => (a.start <= b.start ? a : b));
  for (let week: Week = earliest; week.start < current.start; week = nextWeek(week)) weeks[week.week] ??= emptyWeek(week);
  let changed = false;
  for (const [key, week] of Object.entries(weeks)) {
    if (!week.complete && weekEndsAt(week, timeZone) <= now) {
      weeks[key] = { ...week, complete: true, report: { ...week.report, synced: false } };
      changed = true;
    }
  }
  if (!changed && Object.keys(weeks).length === Object.keys(next.weeks).length) return next;
  next = { ...next, weeks };
  return changed ? evaluateAverage(next, now) : next;
}

/** The instant the current week ends: when `completeWeeksBy` next has work. */
export function nextWeekEnd(state: SpecialistState, now: Instant): Instant {
  return weekEndsAt(weekOfInstant(now, state.config.policy.timeZone), state.config.policy.timeZone);
}

function sentence(state: SpecialistState, average: RollingAverage, tail: string): string {
  return `${state.config.specialist} averaged ${average.averageHours.toFixed(2)} contact hours a week over ${average.weeks} weeks to ${average.through}, target ${average.averageTargetHours.toFixed(2)}${tail}`;
}

/** The MeasureReport of the latest complete week, once written: a CONTACT-HOURS Task's focus. */
export function latestReport(state: SpecialistState): string | undefined {
  const reportId = completeWeeks(state).at(-1)?.report?.reportId;
  return reportId ? `MeasureReport/${reportId}` : undefined;
}

/** The CONTACT-HOURS Task after the average changed: opened under target, closed back at it. */
export function evaluateAverage(state: SpecialistState, now: Instant): SpecialistState {
  const average = rollingAverage(state);
  if (!average) return state;
  const open = openTaskOf(state, 'CONTACT-HOURS');
  const replace = (task: SpecialistTask, next: SpecialistTask) => ({ ...state, tasks: state.tasks.map((each) => (each === task ? next : each)) });
  const under = average.averageHours < average.averageTargetHours;
  if (!under) {
    if (!open) return state;
    return replace(open, { ...open, businessStatus: 'back-within', description: sentence(state, average, ': back at target'), closedAt: now, synced: false });
  }
  const description = sentence(state, average, '');
  if (open) return open.description === description ? state : replace(open, { ...open, description, synced: false });
  const n = state.taskNumbers['CONTACT-HOURS'] + 1;
  const task: SpecialistTask = {
    code: 'CONTACT-HOURS',
    n,
    businessStatus: 'below-target',
    owner: state.supervisor,
    description,
    openedAt: now,
    synced: false,
  };
  return { ...state, tasks: [...state.tasks, task], taskNumbers: { ...state.taskNumbers, 'CONTACT-HOURS': n } };
}
