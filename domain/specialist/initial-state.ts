/** A specialist's state at the first run's start, from its input (the policy as the agency overrides it). */
import { parseAgencyPolicy } from '../rules/policy.ts';
import { referencePattern } from '../fhir/ids.ts';
import type { SpecialistInput } from './input.ts';
import type { SpecialistState } from './state.ts';
import { addCalendarDays, dayOfWeek, localDateOf } from '../calendar/local-date.ts';
import { nextWeek, weekOfDate } from './weeks.ts';

const PRACTITIONER = referencePattern('Practitioner|PractitionerRole');
const ORGANIZATION = referencePattern('Organization');
/** As the episode's default: a run continues as new past this many history events. */
export const SPECIALIST_HISTORY_EVENTS_PER_RUN = 1500;

/** Errors name the field, never its value. */
export function specialistConfigOf(input: SpecialistInput): SpecialistState['config'] {
  if (!PRACTITIONER.test(input.specialist)) throw new Error('specialist input: specialist: not a Practitioner or PractitionerRole reference');
  if (!PRACTITIONER.test(input.supervisor)) throw new Error('specialist input: supervisor: not a Practitioner or PractitionerRole reference');
  if (!ORGANIZATION.test(input.agency)) throw new Error('specialist input: agency: not an Organization reference');
  const historyEventsPerRun = input.historyEventsPerRun ?? SPECIALIST_HISTORY_EVENTS_PER_RUN;
  if (!Number.isInteger(historyEventsPerRun) || historyEventsPerRun < 200 || historyEventsPerRun > 10_000) {
    throw new Error('specialist input: historyEventsPerRun: not an integer from 200 to 10000');
  }
  return { specialist: input.specialist, agency: input.agency, policy: parseAgencyPolicy(input.policy ?? {}), historyEventsPerRun };
}

export function initialSpecialistState(input: SpecialistInput, now: number): SpecialistState {
  const config = specialistConfigOf(input);
  const today = localDateOf(now, config.policy.timeZone);
  const week = weekOfDate(today);
  return {
    config,
    supervisor: input.supervisor,
    episodes: {},
    weeks: { [week.week]: { ...week, contacts: {}, complete: false } },
    // A week the workflow saw only part of is reported but not averaged.
    firstFullWeek: dayOfWeek(today) === 1 ? week.week : nextWeek(week).week,
    // Last week's contacts may still come; older ones are not this workflow's.
    horizonWeek: weekOfDate(addCalendarDays(week.start, -7)).week,
    tasks: [],
    taskNumbers: { CASELOAD: 0, 'CONTACT-HOURS': 0 },
    eventIds: [],
  };
}
