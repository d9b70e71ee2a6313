/**
 * One week of a specialist's contact hours as an individual MeasureReport of the contact-hours
 * Measure: the week (Monday 00:00 to the end of Sunday, agency zone), the hours counted and the
 * week's target. Its identifier `<Practitioner id>/<ISO week>` makes a rewrite idempotent.
 */
import type { MeasureReport } from '@medplum/fhirtypes';
import type { ContactHoursReportWrite } from '../specialist/specialist-activities.ts';
import { addCalendarDays, endOfLocalDay, isoWithOffset, startOfLocalDay } from '../calendar/local-date.ts';
import {
  CONTACT_HOURS_GROUP_SYSTEM,
  CONTACT_HOURS_MEASURE,
  CONTACT_HOURS_REPORT_IDENTIFIER_SYSTEM,
  CONTACT_HOURS_REPORT_PROFILE,
  UCUM,
  MEASURE_POPULATION_SYSTEM,
  WORKER_SOURCE,
} from '../vocabulary.ts';
import { idOf } from './ids.ts';

export function contactHoursReportIdentifierValue(specialist: string, week: string): string {
  return `${idOf(specialist)}/${week}`;
}

const hours = (value: number) => ({ value: Math.round(value * 100) / 100, unit: 'h', system: UCUM, code: 'h' });

export function buildContactHoursReport(write: ContactHoursReportWrite): MeasureReport {
  const { figures, timeZone } = write;
  return {
    resourceType: 'MeasureReport',
    meta: { profile: [CONTACT_HOURS_REPORT_PROFILE], source: WORKER_SOURCE },
    identifier: [{ system: CONTACT_HOURS_REPORT_IDENTIFIER_SYSTEM, value: contactHoursReportIdentifierValue(write.specialist, figures.week) }],
    status: 'complete',
    type: 'individual',
    measure: CONTACT_HOURS_MEASURE,
    subject: { reference: write.specialist },
    date: new Date(write.now).toISOString(),
    reporter: { reference: write.agency },
    period: {
      start: isoWithOffset(startOfLocalDay(figures.start, timeZone), timeZone),
      end: isoWithOffset(endOfLocalDay(addCalendarDays(figures.start, 6), timeZone), timeZone),
    },
    group: [
      {
        code: { coding: [{ system: CONTACT_HOURS_GROUP_SYSTEM, code: 'contact-hours' }] },
        population: [{ code: { coding: [{ system: MEASURE_POPULATION_SYSTEM, code: 'measure-population' }] }, count: figures.contacts }],
        measureScore: hours(figures.contactHours),
      },
      {
        code: { coding: [{ system: CONTACT_HOURS_GROUP_SYSTEM, code: 'target-hours' }] },
        measureScore: hours(figures.targetHours),
      },
    ],
  };
}
