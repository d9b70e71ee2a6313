/** The pure deadline rules: no I/O, no clock. Safe to import from workflow code. */
export type { Instant, LocalDate } from '../calendar/local-date.ts';
export { endOfLocalDay, isLocalDate, localDateOf, startOfLocalDay } from '../calendar/local-date.ts';
export { type Holiday, usFederalHolidays } from '../calendar/us-federal-holidays.ts';
export { addBusinessDays, isAgencyHoliday, isBusinessDay } from '../calendar/business-days.ts';
export { type AgencyPolicy, agencyPolicySchema, defaultAgencyPolicy, parseAgencyPolicy } from './policy.ts';
export { type Deadline, type Standing, standingAt, timeliness } from './deadline.ts';
export {
  DEADLINE_RULES,
  type DeadlineCode,
  type DeadlineRule,
  type RuleKind,
  SETTINGS_OF_EVERY_RULE,
} from './deadline-rules.ts';
export {
  admissionDeadlines,
  contactNoteDeadline,
  dischargeGraceEndsAt,
  dischargePlanDeadline,
  hospitalContactDeadline,
  postHospitalContactDeadline,
} from './triggered-deadlines.ts';
export {
  currentCycleDeadlines,
  type EpisodeDates,
  isWaivedByAssessment,
  recurringDeadlines,
} from './recurring-deadlines.ts';
