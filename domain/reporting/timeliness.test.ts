import { describe, expect, test } from 'vitest';
import type { Task } from '@medplum/fhirtypes';
import { startOfLocalDay } from '../calendar/local-date.ts';
import { validateFhirResource } from '../../fhir-profiles/validation.ts';
import { JANUARY_2026, JANUARY_TASKS, dueTask, type DueTask } from './timeliness-fixtures.ts';
import { monthBefore, periodOfMonth } from './report-month.ts';
import { rateOf, timelinessOutcomeOf, timelinessReportOf, type TimelinessOutcome } from './timeliness.ts';

const TZ = 'America/Chicago';
const tasks = JANUARY_TASKS.map((due) => dueTask(due, TZ));
const AFTER_JANUARY = startOfLocalDay('2026-02-01', TZ);

describe('the outcome of one Task', () => {
  const cases: [string, DueTask, TimelinessOutcome][] = JANUARY_TASKS.slice(0, 11).map((due) => [due.id, due, outcomeOfId(due.id)]);
  function outcomeOfId(id: string): TimelinessOutcome {
    if (id.includes('on-time') || id.includes('on-due-day')) return 'met-on-time';
    if (id.includes('late')) return 'met-late';
    if (id.includes('overdue') || id.includes('open-past')) return 'overdue';
    if (id.includes('discharged-before')) return 'discharged-before-due';
    if (id.includes('discharged-after')) return 'discharged-overdue';
    return 'closed';
  }
  test.each(cases)('%s', (_id, due, outcome) => {
    expect(timelinessOutcomeOf(dueTask(due, TZ), due.dueDate, AFTER_JANUARY, TZ)).toBe(outcome);
  });

  test('an open Task whose due day is not over at the report time is not yet due; one millisecond after, overdue', () => {
    const due = JANUARY_TASKS.find((task) => task.id === 'tl-note-open-past')!;
    const endOfDueDay = startOfLocalDay('2026-01-29', TZ) - 1;
    expect(timelinessOutcomeOf(dueTask(due, TZ), due.dueDate, endOfDueDay, TZ)).toBe('not-yet-due');
    expect(timelinessOutcomeOf(dueTask(due, TZ), due.dueDate, endOfDueDay + 1, TZ)).toBe('overdue');
  });

  test('completed in the EHR without our businessStatus: on time or late by executionPeriod.end, else lastModified', () => {
    const due: DueTask = { id: 'tl-ehr', code: 'QR', owner: 'Practitioner/a', dueDate: '2026-01-10', stage: 'open' };
    const byHand = (fields: Partial<Task>): Task => ({ ...dueTask(due, TZ), status: 'completed', businessStatus: undefined, ...fields });
    expect(timelinessOutcomeOf(byHand({ executionPeriod: { end: '2026-01-10T23:30:00-06:00' } }), '2026-01-10', AFTER_JANUARY, TZ)).toBe('met-on-time');
    expect(timelinessOutcomeOf(byHand({ executionPeriod: { end: '2026-01-11T06:30:00Z' } }), '2026-01-10', AFTER_JANUARY, TZ)).toBe('met-late');
    expect(timelinessOutcomeOf(byHand({ lastModified: '2026-01-12T15:00:00Z' }), '2026-01-10', AFTER_JANUARY, TZ)).toBe('met-late');
  });

  test('discharged without our reason: by the local day of its last change', () => {
    const due: DueTask = { id: 'tl-dis', code: 'QR', owner: 'Practitioner/a', dueDate: '2026-01-10', stage: 'discharged', dischargedOn: '2026-01-09' };
    const task = { ...dueTask(due, TZ), statusReason: { text: 'cancelled' } };
    expect(timelinessOutcomeOf({ ...task, lastModified: '2026-01-11T05:59:59Z' }, '2026-01-10', AFTER_JANUARY, TZ)).toBe('discharged-before-due');
    expect(timelinessOutcomeOf({ ...task, lastModified: '2026-01-11T06:00:00Z' }, '2026-01-10', AFTER_JANUARY, TZ)).toBe('discharged-overdue');
  });
});

test('the fixtures are valid requirement Tasks', () => {
  for (const task of tasks) expect(validateFhirResource(task).filter((issue) => issue.severity === 'error'), task.id).toEqual([]);
});

describe('the report of January 2026', () => {
  const report = timelinessReportOf(tasks, JANUARY_2026, TZ);

  test('agency total: 7 counted of 13 (waived, withdrawn, superseded, discharged before due and two outside the month left out)', () => {
    const { denominator, numerator, metLate, overdue, dischargedOverdue, rate } = report;
    expect({ denominator, numerator, metLate, overdue, dischargedOverdue, rate }).toEqual({ denominator: 7, numerator: 3, metLate: 1, overdue: 2, dischargedOverdue: 1, rate: 0.43 });
    expect(report.period).toEqual(JANUARY_2026);
    expect([report.initialPopulation, report.denominatorExclusion, report.notYetDue]).toEqual([11, 4, 0]);
  });

  test('by code, codes with nothing counted left out', () => {
    expect(report.byCode).toEqual({
      QR: { denominator: 3, numerator: 2, metLate: 1, overdue: 0, dischargedOverdue: 0, rate: 0.67 },
      'NOTE-INDIVIDUAL': { denominator: 3, numerator: 1, metLate: 0, overdue: 2, dischargedOverdue: 0, rate: 0.33 },
      'DISCHARGE-PLAN': { denominator: 1, numerator: 0, metLate: 0, overdue: 0, dischargedOverdue: 1, rate: 0 },
    });
  });

  test('by specialist (owner)', () => {
    expect(report.bySpecialist).toEqual({
      'Practitioner/example-specialist': { denominator: 4, numerator: 2, metLate: 1, overdue: 1, dischargedOverdue: 0, rate: 0.5 },
      'Practitioner/example-supervisor': { denominator: 3, numerator: 1, metLate: 0, overdue: 1, dischargedOverdue: 1, rate: 0.33 },
    });
  });

  test('the late list by due date', () => {
    expect(report.late).toEqual(['Task/tl-plan-discharged-after', 'Task/tl-qr-late', 'Task/tl-note-overdue', 'Task/tl-note-open-past']);
    expect(report.lateItems[0]).toEqual({ task: 'Task/tl-plan-discharged-after', code: 'DISCHARGE-PLAN', owner: 'Practitioner/example-supervisor', dueDate: '2026-01-03', outcome: 'discharged-overdue' });
  });

  test('on the 21st, the Task due on the 28th is not yet due and not counted', () => {
    const midMonth = timelinessReportOf(tasks, JANUARY_2026, TZ, startOfLocalDay('2026-01-21', TZ));
    expect([midMonth.denominator, midMonth.overdue, midMonth.notYetDue, midMonth.denominatorExclusion]).toEqual([6, 1, 1, 5]);
    expect(midMonth.late).not.toContain('Task/tl-note-open-past');
  });

  test('escalations, Tasks without a due date and a Task seen twice (two pages) count once or not at all', () => {
    const escalation = dueTask({ id: 'tl-escalation', code: 'ESCALATION', owner: 'Practitioner/s', dueDate: '2026-01-10', stage: 'overdue' }, TZ);
    const noDue = { ...tasks[0]!, id: 'tl-no-due', restriction: undefined };
    const again = timelinessReportOf([...tasks, escalation, noDue, tasks[0]!], JANUARY_2026, TZ);
    expect(again.denominator).toBe(7);
  });

  test('an empty month: rate null', () => {
    const empty = timelinessReportOf([], { start: '2026-03-01', end: '2026-03-31' }, TZ);
    expect(empty).toMatchObject({ denominator: 0, numerator: 0, rate: null, byCode: {}, bySpecialist: {}, late: [] });
  });
});

test.each([
  [0, 0, null],
  [1, 3, 0.33],
  [2, 3, 0.67],
  [3, 3, 1],
])('rate of %i / %i is %s', (numerator, denominator, rate) => {
  expect(rateOf(numerator, denominator)).toBe(rate);
});

test('the month before, on the agency calendar; a month’s period', () => {
  expect(monthBefore(Date.parse('2026-02-01T06:30:00Z'), TZ)).toBe('2026-01');
  expect(monthBefore(Date.parse('2026-02-01T05:59:00Z'), TZ)).toBe('2025-12');
  expect(periodOfMonth('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
  expect(() => periodOfMonth('2024-13')).toThrow('not a month (YYYY-MM): 2024-13');
});
