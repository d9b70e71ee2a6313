/**
 * The specialist's two writes against the embedded FHIR server: a retry never makes a second
 * resource, a changed week corrects its report in place, and a Task the supervisor completed is
 * left alone and reported as changed in the EHR.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MedplumClient } from '@medplum/core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFhirServer } from '../fhir-server/server.ts';
import { createFhirClient } from '../platform/fhir-client.ts';
import type { ContactHoursReportWrite, SpecialistTaskWrite } from '../domain/specialist/specialist-activities.ts';
import { writeContactHoursReport } from './write-contact-hours-report.ts';
import { writeSpecialistTask } from './write-specialist-task.ts';
import { SPECIALIST_TASK_STATUS_SYSTEM } from '../domain/vocabulary.ts';

let server: Awaited<ReturnType<typeof startFhirServer>>;
let fhir: MedplumClient;
beforeAll(async () => {
  server = await startFhirServer({ dataDir: mkdtempSync(join(tmpdir(), 'write-specialist-')) });
  fhir = createFhirClient({ baseUrl: server.baseUrl, auth: { kind: 'none' } });
});
afterAll(async () => server?.stop());

const NOW = Date.parse('2026-11-30T06:00:00Z');
const report = (contactHours: number): ContactHoursReportWrite => ({
  specialist: 'Practitioner/s1',
  agency: 'Organization/a1',
  timeZone: 'America/Chicago',
  figures: { week: '2026-W48', start: '2026-11-23', contactHours, targetHours: 20, contacts: 3 },
  now: NOW,
});
const task = (description: string): SpecialistTaskWrite => ({
  specialist: 'Practitioner/s1',
  agency: 'Organization/a1',
  now: NOW,
  task: { code: 'CASELOAD', n: 1, businessStatus: 'over-cap', focus: 'EpisodeOfCare/e31', owner: 'Practitioner/sup1', description, openedAt: NOW },
});
const reports = () => fhir.searchResources('MeasureReport', 'subject=Practitioner/s1', { cache: 'no-cache' });
const tasks = () => fhir.searchResources('Task', 'subject=Practitioner/s1', { cache: 'no-cache' });

test('a weekly report: written twice, one resource; new figures correct it in place', async () => {
  const first = await writeContactHoursReport(fhir, report(12));
  expect(await writeContactHoursReport(fhir, report(12))).toEqual(first);
  const corrected = await writeContactHoursReport(fhir, report(14.5));
  expect(corrected).toEqual(first);
  expect((await reports()).map((each) => [each.id, each.group?.[0]?.measureScore?.value])).toEqual([[first.reportId, 14.5]]);
  expect((await fhir.readHistory('MeasureReport', first.reportId)).entry?.length).toBe(2); // the same figures were not written again
});

test('a Task: written twice, one resource; completed by the supervisor meanwhile, it is left alone and reported', async () => {
  const first = await writeSpecialistTask(fhir, task('Practitioner/s1 carries 31 clients, cap 30: reassign or approve'));
  expect((await writeSpecialistTask(fhir, task('Practitioner/s1 carries 31 clients, cap 30: reassign or approve'))).taskId).toBe(first.taskId);
  const current = await fhir.readResource('Task', first.taskId);
  const approved = { coding: [{ system: SPECIALIST_TASK_STATUS_SYSTEM, code: 'approved' }] }; // spt-1: completed means approved or back-within
  await fhir.updateResource({ ...current, status: 'completed', businessStatus: approved, meta: { ...current.meta, source: 'https://ehr.example/staff' } });
  const written = await writeSpecialistTask(fhir, task('Practitioner/s1 carries 32 clients, cap 30: reassign or approve'));
  expect(written.changedInEhr).toMatchObject({ status: 'completed', owner: 'Practitioner/sup1' });
  expect((await tasks()).map((each) => [each.id, each.status, each.description])).toEqual([[first.taskId, 'completed', 'Practitioner/s1 carries 31 clients, cap 30: reassign or approve']]);
});
