import { expect, test } from 'vitest';
import { validateFhirResource } from '../../fhir-profiles/validation.ts';
import type { SpecialistTaskWrite } from '../specialist/specialist-activities.ts';
import { PERFORMER_TYPES, SPECIALIST_TASK_IDENTIFIER_SYSTEM, SPECIALIST_TASK_PROFILE, WORKER_SOURCE } from '../vocabulary.ts';
import { buildSpecialistTask } from './specialist-task.ts';

const OPENED = Date.parse('2026-11-03T18:00:00Z');
const CLOSED = Date.parse('2026-11-04T18:00:00Z');
const write = (task: Partial<SpecialistTaskWrite['task']>): SpecialistTaskWrite => ({
  specialist: 'Practitioner/s1',
  agency: 'Organization/a1',
  now: CLOSED,
  task: {
    code: 'CASELOAD',
    n: 1,
    businessStatus: 'over-cap',
    focus: 'EpisodeOfCare/e31',
    owner: 'Practitioner/sup1',
    description: 'Practitioner/s1 carries 31 clients, cap 30: reassign or approve',
    openedAt: OPENED,
    ...task,
  },
});

test('an open CASELOAD Task: ready, for the Practitioner, owned by the supervisor, focus the episode that crossed the cap', () => {
  const task = buildSpecialistTask(write({}));
  expect(task).toMatchObject({
    meta: { profile: [SPECIALIST_TASK_PROFILE], source: WORKER_SOURCE },
    identifier: [{ system: SPECIALIST_TASK_IDENTIFIER_SYSTEM, value: 's1/CASELOAD/1' }],
    status: 'ready',
    intent: 'order',
    focus: { reference: 'EpisodeOfCare/e31' },
    for: { reference: 'Practitioner/s1' },
    owner: { reference: 'Practitioner/sup1' },
    requester: { reference: 'Organization/a1' },
    performerType: [{ coding: [PERFORMER_TYPES.supervisor] }],
    authoredOn: '2026-11-03T18:00:00.000Z',
    description: 'Practitioner/s1 carries 31 clients, cap 30: reassign or approve',
  });
  expect(task.businessStatus?.coding?.[0]?.code).toBe('over-cap');
  expect(task.executionPeriod?.end).toBeUndefined();
  expect(validateFhirResource(task)).toEqual([]);
});

test.each([
  ['CASELOAD', 'back-within'],
  ['CASELOAD', 'approved'],
  ['CONTACT-HOURS', 'back-within'],
] as const)('a closed %s Task (%s) is completed, its execution period ending when it closed', (code, businessStatus) => {
  const task = buildSpecialistTask(write({ code, businessStatus, closedAt: CLOSED, ...(code === 'CONTACT-HOURS' ? { focus: 'MeasureReport/r1' } : {}) }));
  expect(task.status).toBe('completed');
  expect(task.executionPeriod).toEqual({ start: '2026-11-03T18:00:00.000Z', end: '2026-11-04T18:00:00.000Z' });
  expect(task.code?.coding?.[0]?.code).toBe(code);
  expect(validateFhirResource(task)).toEqual([]);
});

test('a CONTACT-HOURS Task before its week report is written has no focus', () => {
  const task = buildSpecialistTask(write({ code: 'CONTACT-HOURS', businessStatus: 'below-target', focus: undefined }));
  expect(task.focus).toBeUndefined();
  expect(validateFhirResource(task)).toEqual([]);
});

test('the profile is checked: a Task without its owner is refused', () => {
  const { owner: _owner, ...task } = buildSpecialistTask(write({}));
  expect(validateFhirResource(task).length).toBeGreaterThan(0);
});
