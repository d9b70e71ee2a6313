import { describe, expect, test } from 'vitest';
import { validateFhirResource } from '../../fhir-profiles/validation.ts';
import type { RequirementTaskWrite } from '../episode/episode-activities.ts';
import type { Requirement, Stage } from '../episode/state.ts';
import {
  EVIDENCE_OUTPUT_TYPE,
  PERFORMER_TYPES,
  QUESTIONNAIRE_FOR_REQUIREMENT,
  REQUIREMENT_CODES,
  REQUIREMENT_TASK_PROFILE,
  TASK_IDENTIFIER_SYSTEM,
  WORKER_SOURCE,
  type RequirementCode,
} from '../vocabulary.ts';
import { buildRequirementTask, taskIdentifierValue } from './requirement-task.ts';
import { applyEvent } from '../episode/apply-event.ts';
import { episodeConfig, event, noon } from '../episode/episode-fixtures.ts';
import { evidenceSearchFor, reconcile, startDeadlines } from '../episode/reconcile.ts';
import { initialState } from '../episode/state.ts';

const OPENS_AT = Date.parse('2026-01-15T06:00:00Z');
const DUE_AT = Date.parse('2026-01-30T05:59:59.999Z');
const NOW = Date.parse('2026-02-03T18:00:00Z');

/** Each stage as the reducers leave a requirement in it. */
const STAGE_FIELDS: Record<Exclude<Stage, 'scheduled'>, Partial<Requirement>> = {
  open: {},
  'due-soon': {},
  overdue: {},
  'met-on-time': { evidence: 'QuestionnaireResponse/qr1', metAt: Date.parse('2026-01-28T18:00:00Z'), closedAt: NOW },
  'met-late': { evidence: 'Encounter/visit1', metAt: Date.parse('2026-02-02T18:00:00Z'), closedAt: NOW },
  discharged: { reason: 'Client discharged from the program on 2026-02-03', closedAt: NOW },
  superseded: { reason: 'Released from hospital on 2026-02-03', closedAt: NOW },
  waived: { reason: 'Assessment completed on 2026-01-20, in the month this review is due', closedAt: NOW },
  withdrawn: { reason: 'Cancelled in the EHR', closedAt: NOW },
};
const STAGES = Object.keys(STAGE_FIELDS) as (keyof typeof STAGE_FIELDS)[];

function requirement(code: RequirementCode, stage: keyof typeof STAGE_FIELDS, cycle = 'c1'): Requirement {
  const escalation = code === 'ESCALATION';
  return {
    key: `${code}/${cycle}`,
    code,
    cycle,
    ruleId: escalation ? 'NOTE-INDIVIDUAL' : code,
    title: escalation ? 'Overdue: Community Support Individual Note' : `Requirement ${code}`,
    opensAt: OPENS_AT,
    dueSoonAt: OPENS_AT,
    dueAt: DUE_AT,
    dueDate: '2026-01-29',
    focus: code.startsWith('NOTE-') || code.includes('HOSPITAL') ? 'Encounter/enc1' : escalation ? 'NOTE-INDIVIDUAL/c1' : 'EpisodeOfCare/e1',
    owner: escalation ? 'Practitioner/supervisor-1' : 'Practitioner/specialist-1',
    stage,
    openedAt: OPENS_AT + 3_600_000,
    synced: false,
    ...(escalation ? { escalates: 'NOTE-INDIVIDUAL/c1' } : {}),
    ...STAGE_FIELDS[stage],
  };
}

function write(req: Requirement): RequirementTaskWrite {
  return {
    patient: 'Patient/p1',
    episodeOfCare: 'EpisodeOfCare/e1',
    carePlan: 'CarePlan/cp1',
    agency: 'Organization/agency-1',
    requirement: req,
    ...(req.code === 'ESCALATION' ? { escalatedTaskId: 'task-overdue' } : {}),
    now: NOW,
  };
}

describe('every requirement kind in every state is a valid requirement-task', () => {
  const cases = REQUIREMENT_CODES.flatMap((code) => STAGES.map((stage) => [code, stage] as const));
  test.each(cases)('%s %s', (code, stage) => {
    const task = buildRequirementTask(write(requirement(code, stage)));
    expect(validateFhirResource(task)).toEqual([]);
  });
});

describe('what the Task says', () => {
  const build = (code: RequirementCode, stage: keyof typeof STAGE_FIELDS, cycle?: string) => buildRequirementTask(write(requirement(code, stage, cycle)));

  test('open: ready, owned by the specialist, due at restriction.period.end, the Questionnaire to fill in, our profile and source', () => {
    const task = build('CIP-INITIAL', 'open', '1');
    expect(task).toMatchObject({
      meta: { profile: [REQUIREMENT_TASK_PROFILE], source: WORKER_SOURCE },
      identifier: [{ system: TASK_IDENTIFIER_SYSTEM, value: 'e1/CIP-INITIAL/1' }],
      basedOn: [{ reference: 'CarePlan/cp1' }],
      status: 'ready',
      businessStatus: { coding: [{ code: 'open' }], text: 'open' },
      intent: 'order',
      description: 'Requirement CIP-INITIAL due 2026-01-29: open.',
      focus: { reference: 'EpisodeOfCare/e1' },
      for: { reference: 'Patient/p1' },
      requester: { reference: 'Organization/agency-1' },
      owner: { reference: 'Practitioner/specialist-1' },
      performerType: [{ coding: [PERFORMER_TYPES.specialist] }],
      authoredOn: new Date(OPENS_AT + 3_600_000).toISOString(),
      lastModified: new Date(NOW).toISOString(),
      restriction: { period: { start: new Date(OPENS_AT).toISOString(), end: new Date(DUE_AT).toISOString() } },
      input: [{ valueCanonical: QUESTIONNAIRE_FOR_REQUIREMENT['CIP-INITIAL'] }],
    });
    expect(task).not.toHaveProperty('statusReason');
    expect(task).not.toHaveProperty('output');
    expect(task).not.toHaveProperty('executionPeriod');
  });

  test.each([
    ['due-soon', 'ready', 'due soon'],
    ['overdue', 'ready', 'overdue'],
  ] as const)('%s: still %s, the business status says "%s"', (stage, status, text) => {
    expect(build('QR', stage)).toMatchObject({ status, businessStatus: { coding: [{ code: stage }], text } });
  });

  test('escalation: owned by the supervisor as a social worker, partOf the overdue Task, pointing at it', () => {
    const task = build('ESCALATION', 'overdue', 'NOTE-INDIVIDUAL/c1');
    expect(task).toMatchObject({
      identifier: [{ value: 'e1/ESCALATION/NOTE-INDIVIDUAL.c1' }],
      partOf: [{ reference: 'Task/task-overdue' }],
      owner: { reference: 'Practitioner/supervisor-1' },
      performerType: [{ coding: [PERFORMER_TYPES.supervisor] }],
      description: 'Overdue: Community Support Individual Note was due 2026-01-29 and is not done (Task/task-overdue): follow up with the specialist.',
    });
    expect(task).not.toHaveProperty('input');
  });

  test('an escalation whose overdue Task is not written yet would break rqt-2: the workflow writes it only after', () => {
    const task = buildRequirementTask({ ...write(requirement('ESCALATION', 'overdue')), escalatedTaskId: undefined });
    expect(validateFhirResource(task).map((issue) => issue.details?.text).join()).toMatch(/rqt-2/);
  });

  test('met on time by a QuestionnaireResponse: completed, the response as evidence, when it was met', () => {
    expect(build('CIP-INITIAL', 'met-on-time', '1')).toMatchObject({
      status: 'completed',
      businessStatus: { coding: [{ code: 'met-on-time' }] },
      executionPeriod: { end: '2026-01-28T18:00:00.000Z' },
      output: [{ type: { coding: [EVIDENCE_OUTPUT_TYPE] }, valueReference: { reference: 'QuestionnaireResponse/qr1' } }],
    });
  });

  test('met late by a face-to-face Encounter, about the hospital stay it follows', () => {
    expect(build('POST-HOSPITAL-CONTACT', 'met-late', 'h1')).toMatchObject({
      status: 'completed',
      businessStatus: { coding: [{ code: 'met-late' }] },
      focus: { reference: 'Encounter/enc1' },
      executionPeriod: { end: '2026-02-02T18:00:00.000Z' },
      output: [{ valueReference: { reference: 'Encounter/visit1' } }],
    });
  });

  test('met by the Task completed in the EHR: no output (a Task is not evidence the profile admits)', () => {
    const task = buildRequirementTask(write({ ...requirement('QR', 'met-late'), evidence: 'Task/t9' }));
    expect(task.status).toBe('completed');
    expect(task).not.toHaveProperty('output');
    expect(validateFhirResource(task)).toEqual([]);
  });

  test.each([
    ['discharged', 'Client discharged from the program on 2026-02-03', 'cancelled at program discharge'],
    ['superseded', 'Released from hospital on 2026-02-03', 'superseded'],
    ['waived', 'Assessment completed on 2026-01-20, in the month this review is due', 'waived'],
  ] as const)('%s: cancelled with its reason', (stage, reason, text) => {
    expect(build('HOSPITAL-CONTACT', stage, 'h1/week-2')).toMatchObject({
      identifier: [{ value: 'e1/HOSPITAL-CONTACT/h1.week-2' }],
      status: 'cancelled',
      statusReason: { text: reason },
      businessStatus: { coding: [{ code: stage }], text },
    });
  });

  test('identifier values keep to the profile\'s pattern whatever the cycle', () => {
    expect(taskIdentifierValue('EpisodeOfCare/e1', 'ESCALATION', 'HOSPITAL-CONTACT/h1/week-3')).toBe('e1/ESCALATION/HOSPITAL-CONTACT.h1.week-3');
  });
});

describe("the start's evidence search looks for the identifier our Task is written with", () => {
  // Late starts across the year (recurring cycles, the annual one, CIP-INITIAL) and one discharged before its start.
  const starts: [admission: string, start: string, discharged?: string][] = [
    ['2026-01-15', '2026-05-01'],
    ['2026-01-31', '2027-02-10'],
    ['2025-03-01', '2026-03-01'],
    ['2026-01-15', '2026-03-01', '2026-02-20'],
  ];
  test.each(starts)('admitted %s, started %s', (admission, start, discharged) => {
    let state = initialState(episodeConfig(admission));
    if (discharged) state = applyEvent(state, event({ type: 'program-discharge', date: discharged }), noon(start));
    const now = noon(start);
    const deadlines = startDeadlines(state, now);
    const search = evidenceSearchFor(state, deadlines, now)!;
    expect(search.items.length).toBeGreaterThan(0);
    const started = reconcile(state, deadlines, {}, now);
    for (const item of search.items) {
      const written = buildRequirementTask({ ...write(started.requirements[item.key]!), episodeOfCare: started.config.episodeOfCare });
      expect(written.identifier![0]!.value).toBe(item.taskIdentifier);
    }
  });
});
