/** The pure deadline rules: no I/O, no clock. Safe to import from workflow code. */
export type { Instant, LocalDate } from '../calendar/local-date.ts';
export { endOfLocalDay, isLocalDate, localDateOf, startOfLocalDay } from '../calendar/local-date.ts';
export { type Holiday, usFederalHolidays } from '../calendar/us-federal-holidays.ts';
export { addBusinessDays, isAgencyHoliday, isBusinessDay } from '../calendar/business-days.ts';
export { type AgencyPolicy, agencyPolicySchema, defaultAgencyPolicy, parseAgencyPolicy } from './policy.ts';
export { type ClockStage, type Deadline, type Stage, stageAt, timeliness } from './deadline.ts';
export {
  DEADLINE_RULES,
  type DeadlineCode,
  type DeadlineRule,
  displayOf,
  ESCALATION_CONCEPT,
  type RuleEvidence,
  type RuleKind,
  ruleOf,
  rulesOfKind,
  SETTINGS_OF_EVERY_RULE,
  type StayChange,
  type StayDates,
  type Supersession,
} from './deadline-rules.ts';
export {
  admissionDeadlines,
  contactNoteDeadline,
  dischargeGraceEndsAt,
  dischargePlanDeadline,
  hospitalContactDeadline,
  postHospitalContactDeadline,
  type Trigger,
  triggeredDeadlines,
} from './triggered-deadlines.ts';
export {
  currentCycleDeadlines,
  type EpisodeDates,
  isWaivedByAssessment,
  recurringDeadlines,
} from './recurring-deadlines.ts';
