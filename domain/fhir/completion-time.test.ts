import type { QuestionnaireResponse, Task } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { completedAt, completedInstant } from './completion-time.ts';

const task = (fields: Partial<Task>): Task => ({ resourceType: 'Task', status: 'completed', intent: 'order', ...fields });
const response = (fields: Partial<QuestionnaireResponse>): QuestionnaireResponse => ({ resourceType: 'QuestionnaireResponse', status: 'completed', ...fields });
const meta = { lastUpdated: '2026-02-03T12:00:00.000Z' };

describe('when a Task was done', () => {
  test('executionPeriod.end, else lastModified, else meta.lastUpdated, as written', () => {
    expect(completedAt(task({ executionPeriod: { end: '2026-02-01T10:00:00-06:00' }, lastModified: '2026-02-02T10:00:00Z', meta }))).toBe('2026-02-01T10:00:00-06:00');
    expect(completedAt(task({ lastModified: '2026-02-02T10:00:00Z', meta }))).toBe('2026-02-02T10:00:00Z');
    expect(completedAt(task({ meta }))).toBe(meta.lastUpdated);
    expect(completedAt(task({}))).toBeUndefined();
  });

  test('as an instant: in Z, and a value without a time passes to the next', () => {
    expect(completedInstant(task({ executionPeriod: { end: '2026-02-01T10:00:00-06:00' }, meta }))).toBe('2026-02-01T16:00:00.000Z');
    expect(completedInstant(task({ executionPeriod: { end: '2026-02-01' }, lastModified: '2026-02-02T10:00:00Z', meta }))).toBe('2026-02-02T10:00:00.000Z');
    expect(completedInstant(task({ executionPeriod: { end: '2026-02-01' } }))).toBeUndefined();
  });
});

describe('when a QuestionnaireResponse was done', () => {
  test('authored, else meta.lastUpdated', () => {
    expect(completedAt(response({ authored: '2026-02-01T10:00:00-06:00', meta }))).toBe('2026-02-01T10:00:00-06:00');
    expect(completedAt(response({ meta }))).toBe(meta.lastUpdated);
    expect(completedInstant(response({ authored: '2026-02-01', meta }))).toBe(meta.lastUpdated);
    expect(completedInstant(response({}))).toBeUndefined();
  });
});
