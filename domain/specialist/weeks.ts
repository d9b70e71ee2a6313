/**
 * The weeks of CONTACT-HOURS: ISO weeks, Monday to Sunday in the agency's zone, each with its
 * target (the weekly target pro rata of the week's business days when the agency says so).
 */
import { addCalendarDays, dayOfWeek, epochDayOf, type Instant, type LocalDate, localDateOf, startOfLocalDay } from '../calendar/local-date.ts';
import { isBusinessDay } from '../calendar/business-days.ts';
import type { AgencyPolicy } from '../rules/index.ts';

export interface Week {
  /** ISO week, e.g. `2026-W48`. */
  week: string;
  /** Its Monday, a local date. */
  start: LocalDate;
}

/** The ISO week of a local date: the week of its Thursday decides the year. */
export function weekOfDate(date: LocalDate): Week {
  const start = addCalendarDays(date, -((dayOfWeek(date) + 6) % 7));
  const thursday = addCalendarDays(start, 3);
  const year = Number(thursday.slice(0, 4));
  const number = Math.floor((epochDayOf(thursday) - epochDayOf(`${thursday.slice(0, 4)}-01-01`)) / 7) + 1;
  return { week: `${year}-W${String(number).padStart(2, '0')}`, start };
}

export function weekOfInstant(instant: Instant, timeZone: string): Week {
  return weekOfDate(localDateOf(instant, timeZone));
}

/** The Monday 00:00 after the week, local: the instant the week is complete. */
export function weekEndsAt(week: Week, timeZone: string): Instant {
  return startOfLocalDay(addCalendarDays(week.start, 7), timeZone);
}

export function nextWeek(week: Week): Week {
  return weekOfDate(addCalendarDays(week.start, 7));
}

/** The week's target hours: Thanksgiving week 2026 (four business days) → 20 of 25. */
export function weekTargetHours(week: Week, policy: AgencyPolicy): number {
  const { weeklyTargetHours, holidayProRata } = policy.contactHours;
  if (!holidayProRata) return weeklyTargetHours;
  const businessDays = [0, 1, 2, 3, 4].filter((day) => isBusinessDay(addCalendarDays(week.start, day), policy)).length;
  return (weeklyTargetHours * businessDays) / 5;
}
