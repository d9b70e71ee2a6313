import { expect, test } from 'vitest';
import { validateFhirResource } from '../../fhir-profiles/validation.ts';
import { CONTACT_HOURS_MEASURE, CONTACT_HOURS_REPORT_IDENTIFIER_SYSTEM, CONTACT_HOURS_REPORT_PROFILE } from '../vocabulary.ts';
import { buildContactHoursReport } from './contact-hours-report.ts';

const report = buildContactHoursReport({
  specialist: 'Practitioner/s1',
  agency: 'Organization/a1',
  timeZone: 'America/Chicago',
  figures: { week: '2026-W48', start: '2026-11-23', contactHours: 18.5, targetHours: 20, contacts: 22 },
  now: Date.parse('2026-11-30T06:00:00Z'),
});

test('a week of contact hours: individual, for the Practitioner, the local week with offsets, hours and target in h', () => {
  expect(report).toMatchObject({
    resourceType: 'MeasureReport',
    meta: { profile: [CONTACT_HOURS_REPORT_PROFILE] },
    identifier: [{ system: CONTACT_HOURS_REPORT_IDENTIFIER_SYSTEM, value: 's1/2026-W48' }],
    status: 'complete',
    type: 'individual',
    measure: CONTACT_HOURS_MEASURE,
    subject: { reference: 'Practitioner/s1' },
    reporter: { reference: 'Organization/a1' },
    date: '2026-11-30T06:00:00.000Z',
    period: { start: '2026-11-23T00:00:00.000-06:00', end: '2026-11-29T23:59:59.999-06:00' },
  });
  expect(report.group?.map((group) => [group.code?.coding?.[0]?.code, group.population?.[0]?.count, group.measureScore])).toEqual([
    ['contact-hours', 22, { value: 18.5, unit: 'h', system: 'http://unitsofmeasure.org', code: 'h' }],
    ['target-hours', undefined, { value: 20, unit: 'h', system: 'http://unitsofmeasure.org', code: 'h' }],
  ]);
});

test('it is valid R4', () => {
  expect(validateFhirResource(report)).toEqual([]);
});

test('the profile is checked: a report without its target group is refused', () => {
  expect(validateFhirResource({ ...report, group: report.group!.slice(0, 1) }).length).toBeGreaterThan(0);
});
