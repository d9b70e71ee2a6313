/** The month a timeliness report covers: `YYYY-MM` ↔ its first and last local day. */
import { addCalendarMonths, isLocalDate, lastDayOfMonthOf, localDateOf, monthOf, type Instant, type LocalDate } from '../calendar/local-date.ts';

export function isReportMonth(month: string): boolean {
  return /^\d{4}-\d{2}$/.test(month) && isLocalDate(`${month}-01`);
}

export function periodOfMonth(month: string): { start: LocalDate; end: LocalDate } {
  if (!isReportMonth(month)) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  const start = `${month}-01`;
  return { start, end: lastDayOfMonthOf(start) };
}

/** The month before the one `now` falls in, on the agency's calendar. */
export function monthBefore(now: Instant, timeZone: string): string {
  return monthOf(addCalendarMonths(`${localDateOf(now, timeZone).slice(0, 7)}-01`, -1));
}
