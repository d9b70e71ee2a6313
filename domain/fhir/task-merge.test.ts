import type { Task } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { REQUIREMENT_TASK_PROFILE, WORKER_SOURCE } from '../vocabulary.ts';
import { taskUpdateOf } from './task-merge.ts';

const NOW = '2026-02-03T18:00:00.000Z';

/** The requirement's Task as buildRequirementTask makes it (the fields that matter here). */
const desired = (fields: Partial<Task> = {}): Task => ({
  resourceType: 'Task',
  meta: { profile: [REQUIREMENT_TASK_PROFILE], source: WORKER_SOURCE },
  identifier: [{ system: 'urn:test', value: 'e1/CIP-INITIAL/1' }],
  status: 'ready',
  intent: 'order',
  owner: { reference: 'Practitioner/specialist-1' },
  lastModified: '2026-02-03T18:00:00.000Z',
  ...fields,
});

/** The Task on the server: what we wrote before, as the server keeps it. */
const onServer = (fields: Partial<Task> = {}): Task => ({
  ...desired({ lastModified: '2026-02-01T10:00:00.000Z' }),
  id: 't1',
  meta: { versionId: '3', lastUpdated: '2026-02-01T10:00:00.000Z', profile: [REQUIREMENT_TASK_PROFILE], source: WORKER_SOURCE },
  ...fields,
});

describe('a Task staff ended in the EHR is never reopened or changed', () => {
  test.each(['completed', 'cancelled', 'failed', 'rejected', 'entered-in-error'] as const)('%s, the requirement open: nothing written, the end reported', (status) => {
    const current = onServer({ status, executionPeriod: { end: '2026-02-02T09:00:00-06:00' }, owner: { reference: 'Practitioner/specialist-2' } });
    expect(taskUpdateOf(current, desired(), NOW)).toEqual({
      action: 'ended-in-ehr',
      changedInEhr: { status: status === 'completed' ? 'completed' : 'cancelled', owner: 'Practitioner/specialist-2', at: '2026-02-02T09:00:00-06:00', versionId: '3' },
    });
  });

  test('completed by staff while the requirement is closed by a discharge: the completion stands', () => {
    const update = taskUpdateOf(onServer({ status: 'completed' }), desired({ status: 'cancelled' }), NOW);
    expect(update).toMatchObject({ action: 'ended-in-ehr', changedInEhr: { status: 'completed', at: '2026-02-01T10:00:00.000Z' } });
  });

  test('the time of the end: executionPeriod.end, else lastModified, else meta.lastUpdated, else now', () => {
    const at = (task: Task) => (taskUpdateOf(task, desired(), NOW) as { changedInEhr: { at: string } }).changedInEhr.at;
    expect(at(onServer({ status: 'completed' }))).toBe('2026-02-01T10:00:00.000Z');
    expect(at({ ...onServer({ status: 'cancelled' }), lastModified: undefined, meta: { lastUpdated: '2026-02-01T11:00:00Z' } })).toBe('2026-02-01T11:00:00Z');
    expect(at({ ...onServer({ status: 'cancelled' }), lastModified: undefined, meta: {} })).toBe(NOW);
  });

  test('ended with the status the requirement wants: an ordinary write, no EHR change', () => {
    expect(taskUpdateOf(onServer({ status: 'completed' }), desired({ status: 'completed', executionPeriod: { end: NOW } }), NOW).action).toBe('update');
  });
});

describe('a Task staff are working on', () => {
  test.each(['in-progress', 'on-hold', 'accepted'] as const)('%s keeps its status while the requirement is open; the rest is ours', (status) => {
    const update = taskUpdateOf(onServer({ status }), desired({ owner: { reference: 'Practitioner/specialist-2' } }), NOW);
    expect(update).toMatchObject({ action: 'update', task: { status, owner: { reference: 'Practitioner/specialist-2' } } });
  });

  test('in progress, nothing else changed: nothing written', () => {
    expect(taskUpdateOf(onServer({ status: 'in-progress' }), desired(), NOW)).toEqual({ action: 'none' });
  });

  test('moves on when the requirement ends', () => {
    expect(taskUpdateOf(onServer({ status: 'in-progress' }), desired({ status: 'completed' }), NOW)).toMatchObject({ action: 'update', task: { status: 'completed' } });
  });
});

describe('what an update keeps and what it overwrites', () => {
  test('the same managed fields, in another key order and another lastModified: nothing written', () => {
    const current = onServer({ owner: { display: undefined, reference: 'Practitioner/specialist-1' } });
    expect(taskUpdateOf(current, desired(), NOW)).toEqual({ action: 'none' });
  });

  test('our fields replace theirs (a managed field we no longer set goes), what the EHR added stays, id, meta and profiles are kept, our source set', () => {
    const current = onServer({
      note: [{ text: 'called the client' }],
      priority: 'urgent',
      statusReason: { text: 'old reason' },
      meta: { versionId: '3', lastUpdated: '2026-02-01T10:00:00.000Z', profile: ['http://ehr.example/Task'], source: 'http://ehr.example', tag: [{ code: 'ehr' }] },
    });
    const update = taskUpdateOf(current, desired({ owner: { reference: 'Practitioner/specialist-2' } }), NOW);
    expect(update.action).toBe('update');
    const task = (update as { task: Task }).task;
    expect(task).toMatchObject({ id: 't1', owner: { reference: 'Practitioner/specialist-2' }, note: [{ text: 'called the client' }], priority: 'urgent', lastModified: NOW });
    expect(task).not.toHaveProperty('statusReason');
    expect(task.meta).toEqual({
      versionId: '3',
      lastUpdated: '2026-02-01T10:00:00.000Z',
      profile: ['http://ehr.example/Task', REQUIREMENT_TASK_PROFILE],
      source: WORKER_SOURCE,
      tag: [{ code: 'ehr' }],
    });
  });
});
