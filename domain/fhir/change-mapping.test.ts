import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { buildRequirementTask } from './requirement-task.ts';
import { openCipInitial } from '../episode/episode-fixtures.ts';
import type { Requirement } from '../episode/state.ts';
import {
  CONTACT_KIND_SYSTEM,
  QUESTIONNAIRE_FOR_REQUIREMENT,
  TASK_IDENTIFIER_SYSTEM,
  TASK_STATUS_CODES,
  TASK_STATUS_SYSTEM,
  SPECIALIST_TASK_IDENTIFIER_SYSTEM,
  SPECIALIST_TASK_STATUS_SYSTEM,
  TRAVEL_TIME_EXTENSION,
  WORKER_SOURCE,
} from '../vocabulary.ts';
import { episodeDefaultsSchema } from '../episode/episode-defaults.ts';
import { episodeInputOf, type FhirChangeMapping, mapFhirChange } from './change-mapping.ts';
import { V3_ACT_CODE } from '../vocabulary.ts';

const defaults = episodeDefaultsSchema.parse({ supervisor: 'Practitioner/sup', agency: 'Organization/agency' });
const meta = { versionId: 'v2', lastUpdated: '2026-03-02T15:00:00Z' };
const episode = {
  resourceType: 'EpisodeOfCare',
  id: 'e1',
  meta,
  status: 'active',
  patient: { reference: 'Patient/p1' },
  careManager: { reference: 'Practitioner/s1' },
  period: { start: '2026-01-15' },
} as const;
const stay = (status: string, period: object) => ({
  resourceType: 'Encounter',
  id: 'h1',
  meta,
  status,
  class: { system: V3_ACT_CODE, code: 'IMP' },
  subject: { reference: 'Patient/p1' },
  episodeOfCare: [{ reference: 'EpisodeOfCare/e1' }],
  period,
});
const contact = (overrides: object) => ({
  resourceType: 'Encounter',
  id: 'c1',
  meta,
  status: 'finished',
  class: { system: V3_ACT_CODE, code: 'HH' },
  subject: { reference: 'Patient/p1' },
  episodeOfCare: [{ reference: 'https://ehr.example.org/fhir/EpisodeOfCare/e1' }],
  period: { start: '2026-03-02T02:30:00Z', end: '2026-03-02T03:30:00Z' },
  ...overrides,
});
const response = (overrides: object) => ({
  resourceType: 'QuestionnaireResponse',
  id: 'qr1',
  meta,
  status: 'completed',
  questionnaire: QUESTIONNAIRE_FOR_REQUIREMENT['CIP-INITIAL'],
  subject: { reference: 'Patient/p1' },
  authored: '2026-03-02T09:00:00-06:00',
  ...overrides,
});
const task = (overrides: object) => ({
  resourceType: 'Task',
  id: 't1',
  meta,
  identifier: [{ system: TASK_IDENTIFIER_SYSTEM, value: 'e1/CIP-INITIAL/1' }],
  status: 'ready',
  intent: 'order',
  businessStatus: { coding: [{ system: TASK_STATUS_SYSTEM, code: 'open' }] },
  owner: { reference: 'Practitioner/s1' },
  lastModified: '2026-03-02T15:00:00Z',
  ...overrides,
});
const eventId = (type: string, id: string) => `${type}/${id}/_history/v2`;
const toEpisode = { by: 'episode', episodeOfCare: 'EpisodeOfCare/e1' };

describe('mapFhirChange', () => {
  const rows: [string, object, unknown][] = [
    [
      'active EpisodeOfCare: the careManager is the specialist (and starts the episode)',
      episode,
      { action: 'deliver', route: toEpisode, events: [{ type: 'staff-reassigned', eventId: eventId('EpisodeOfCare', 'e1'), role: 'specialist', practitioner: 'Practitioner/s1' }] },
    ],
    ['active EpisodeOfCare without careManager', { ...episode, careManager: undefined }, { action: 'skip', reason: 'EpisodeOfCare/e1 has no careManager' }],
    [
      'finished EpisodeOfCare: program discharge on period.end, a local day',
      { ...episode, status: 'finished', period: { start: '2026-01-15', end: '2026-12-29T03:00:00Z' } },
      { action: 'deliver', route: toEpisode, events: [{ type: 'program-discharge', eventId: eventId('EpisodeOfCare', 'e1'), date: '2026-12-28' }] },
    ],
    ['finished EpisodeOfCare without period.end', { ...episode, status: 'finished' }, { action: 'skip', reason: 'EpisodeOfCare/e1 finished without period.end' }],
    ['planned EpisodeOfCare', { ...episode, status: 'planned' }, { action: 'skip', reason: 'EpisodeOfCare/e1 status planned' }],
    [
      'hospital stay in progress: admission',
      stay('in-progress', { start: '2026-03-01T20:00:00Z' }),
      { action: 'deliver', route: toEpisode, events: [{ type: 'hospital-admission', eventId: eventId('Encounter', 'h1'), encounterId: 'h1', admittedOn: '2026-03-01' }] },
    ],
    [
      'hospital stay finished: admission (suffixed id) and release at period.end',
      stay('finished', { start: '2026-03-01T20:00:00Z', end: '2026-03-05T16:00:00Z' }),
      {
        action: 'deliver',
        route: toEpisode,
        events: [
          { type: 'hospital-admission', eventId: `${eventId('Encounter', 'h1')}#hospital-admission`, encounterId: 'h1', admittedOn: '2026-03-01' },
          { type: 'hospital-release', eventId: eventId('Encounter', 'h1'), encounterId: 'h1', releasedOn: '2026-03-05' },
        ],
      },
    ],
    ['hospital stay planned', stay('planned', {}), { action: 'skip', reason: 'Encounter/h1 hospital stay status planned' }],
    [
      'finished home visit: face-to-face on its local day (absolute episode reference)',
      contact({}),
      { action: 'deliver', route: toEpisode, events: [{ type: 'contact-recorded', eventId: eventId('Encounter', 'c1'), encounterId: 'c1', kind: 'face-to-face', date: '2026-03-01', start: '2026-03-02T02:30:00.000Z', minutes: 60, travelMinutes: 0 }] },
    ],
    [
      'finished virtual collateral contact, no episode: found by the patient',
      contact({ class: { system: V3_ACT_CODE, code: 'VR' }, type: [{ coding: [{ system: CONTACT_KIND_SYSTEM, code: 'collateral' }] }], episodeOfCare: undefined }),
      {
        action: 'deliver',
        route: { by: 'patient', patient: 'Patient/p1' },
        events: [{ type: 'contact-recorded', eventId: eventId('Encounter', 'c1'), encounterId: 'c1', kind: 'collateral', date: '2026-03-01', start: '2026-03-02T02:30:00.000Z', minutes: 60, travelMinutes: 0 }],
      },
    ],
    [
      'contact time: Encounter.length over the period, travel time, the Practitioner participant',
      contact({
        length: { value: 1.5, system: 'http://unitsofmeasure.org', code: 'h' },
        extension: [{ url: TRAVEL_TIME_EXTENSION, valueDuration: { value: 25, system: 'http://unitsofmeasure.org', code: 'min' } }],
        participant: [{ individual: { reference: 'RelatedPerson/r1' } }, { individual: { reference: 'Practitioner/s2' } }],
      }),
      {
        action: 'deliver',
        route: toEpisode,
        events: [
          {
            type: 'contact-recorded',
            eventId: eventId('Encounter', 'c1'),
            encounterId: 'c1',
            kind: 'face-to-face',
            date: '2026-03-01',
            start: '2026-03-02T02:30:00.000Z',
            minutes: 90,
            travelMinutes: 25,
            practitioner: 'Practitioner/s2',
          },
        ],
      },
    ],
    [
      'contact dated by day only: no start and no minutes',
      contact({ period: { start: '2026-03-01', end: '2026-03-01' } }),
      {
        action: 'deliver',
        route: toEpisode,
        events: [{ type: 'contact-recorded', eventId: eventId('Encounter', 'c1'), encounterId: 'c1', kind: 'face-to-face', date: '2026-03-01', travelMinutes: 0 }],
      },
    ],
    ['virtual contact without a kind', contact({ class: { system: V3_ACT_CODE, code: 'VR' } }), { action: 'skip', reason: 'Encounter/c1 is not a contact kind we know' }],
    ['contact in progress', contact({ status: 'in-progress' }), { action: 'skip', reason: 'Encounter/c1 contact status in-progress' }],
    [
      'completed crisis plan response: document-completed, found by the patient',
      response({}),
      {
        action: 'deliver',
        route: { by: 'patient', patient: 'Patient/p1' },
        events: [{ type: 'document-completed', eventId: eventId('QuestionnaireResponse', 'qr1'), requirement: 'CIP-INITIAL', questionnaireResponseId: 'qr1', completedAt: '2026-03-02T15:00:00.000Z' }],
      },
    ],
    [
      'completed annual assessment during an encounter (versioned canonical)',
      response({ questionnaire: `${QUESTIONNAIRE_FOR_REQUIREMENT['ANNUAL-ASSESSMENT']}|0.1.0`, encounter: { reference: 'Encounter/c1' } }),
      {
        action: 'deliver',
        route: { by: 'encounter', encounter: 'Encounter/c1' },
        events: [{ type: 'document-completed', eventId: eventId('QuestionnaireResponse', 'qr1'), requirement: 'ANNUAL-ASSESSMENT', questionnaireResponseId: 'qr1', completedAt: '2026-03-02T15:00:00.000Z' }],
      },
    ],
    ['response in progress', response({ status: 'in-progress' }), { action: 'skip', reason: 'QuestionnaireResponse/qr1 status in-progress' }],
    ['response to another Questionnaire', response({ questionnaire: 'http://loinc.org/q/44249-1' }), { action: 'skip', reason: 'QuestionnaireResponse/qr1 answers a Questionnaire that is not ours' }],
    [
      'Task completed in the EHR',
      task({ status: 'completed', executionPeriod: { end: '2026-03-02T10:00:00-06:00' } }),
      { action: 'deliver', route: toEpisode, events: [{ type: 'task-changed', eventId: eventId('Task', 't1'), taskId: 't1', status: 'completed', owner: 'Practitioner/s1', at: '2026-03-02T16:00:00.000Z' }] },
    ],
    [
      'Task given to another specialist in the EHR',
      task({ owner: { reference: 'PractitionerRole/r9' } }),
      { action: 'deliver', route: toEpisode, events: [{ type: 'task-changed', eventId: eventId('Task', 't1'), taskId: 't1', status: 'ready', owner: 'PractitionerRole/r9', at: '2026-03-02T15:00:00.000Z' }] },
    ],
    ['Task written by the worker (meta.source)', task({ meta: { ...meta, source: WORKER_SOURCE } }), { action: 'skip', reason: 'Task/t1 written by the worker' }],
    [
      'Task written by the worker through HAPI (meta.source with #request id)',
      task({ meta: { ...meta, source: `${WORKER_SOURCE}#a1b2c3` } }),
      { action: 'skip', reason: 'Task/t1 written by the worker' },
    ],
    [
      'Task completed in an EHR that kept our meta.source: completed next to open is not a pair the worker writes',
      task({ meta: { ...meta, source: WORKER_SOURCE }, status: 'completed', executionPeriod: { end: '2026-03-02T10:00:00-06:00' } }),
      { action: 'deliver', route: toEpisode, events: [{ type: 'task-changed', eventId: eventId('Task', 't1'), taskId: 't1', status: 'completed', owner: 'Practitioner/s1', at: '2026-03-02T16:00:00.000Z' }] },
    ],
    [
      'Task from another source system',
      task({ meta: { ...meta, source: 'https://ehr.example.org/worklist' }, owner: { reference: 'Practitioner/s9' } }),
      { action: 'deliver', route: toEpisode, events: [{ type: 'task-changed', eventId: eventId('Task', 't1'), taskId: 't1', status: 'ready', owner: 'Practitioner/s9', at: '2026-03-02T15:00:00.000Z' }] },
    ],
    [
      'Task met by the worker (no meta.source)',
      task({ status: 'completed', businessStatus: { coding: [{ system: TASK_STATUS_SYSTEM, code: 'met-on-time' }] } }),
      { action: 'skip', reason: 'Task/t1 completed by the worker (met-on-time)' },
    ],
    [
      'Task cancelled by the worker at discharge',
      task({ status: 'cancelled', businessStatus: { coding: [{ system: TASK_STATUS_SYSTEM, code: 'discharged' }] } }),
      { action: 'skip', reason: 'Task/t1 cancelled by the worker (discharged)' },
    ],
    ['Task that is not ours', task({ identifier: [{ system: 'urn:other', value: 'x' }] }), { action: 'skip', reason: 'Task/t1 is not a requirement Task' }],
    ['Task entered in error', task({ status: 'entered-in-error' }), { action: 'skip', reason: 'Task/t1 status entered-in-error' }],
    ['a resource without version', { ...episode, meta: undefined }, { action: 'skip', reason: 'EpisodeOfCare/e1 without meta.versionId or meta.lastUpdated' }],
    ['a type we do not watch', { resourceType: 'Patient', id: 'p1', meta }, { action: 'skip', reason: 'Patient is not watched' }],
  ];
  // Every event delivered carries its version's meta.lastUpdated (the rows leave it out).
  const fromVersion = (mapping: FhirChangeMapping): FhirChangeMapping =>
    mapping.action === 'deliver' ? { ...mapping, events: mapping.events.map((event) => ({ ...event, sourceUpdatedAt: '2026-03-02T15:00:00.000Z' })) } : mapping;
  test.each(rows)('%s', (_name, resource, expected) => {
    expect(mapFhirChange(resource as Resource, defaults)).toEqual(fromVersion(expected as FhirChangeMapping));
  });

  test('every event it delivers passes the episode schema', async () => {
    const { episodeEventSchema } = await import('../episode/events.ts');
    for (const [, resource] of rows) {
      const mapping = mapFhirChange(resource as Resource, defaults);
      if (mapping.action === 'deliver') for (const event of mapping.events) expect(episodeEventSchema.safeParse(event).success).toBe(true);
    }
  });
});

describe('the worker\'s own Task writes come back as notifications', () => {
  const requirement = openCipInitial({ openedAt: Date.parse('2026-01-15T18:00:00Z') });
  const written = (stage: Requirement['stage']) => {
    const closed = ['met-on-time', 'met-late'].includes(stage)
      ? { evidence: 'QuestionnaireResponse/qr1', metAt: Date.parse('2026-01-20T18:00:00Z') }
      : { reason: 'closed by the worker' };
    const built = buildRequirementTask({
      patient: 'Patient/p1',
      episodeOfCare: 'EpisodeOfCare/e1',
      agency: 'Organization/agency',
      requirement: { ...requirement, ...closed, stage },
      now: Date.parse('2026-01-20T18:00:00Z'),
    });
    return { ...built, id: 't1', meta: { ...built.meta, ...meta } } as Resource;
  };

  test.each(TASK_STATUS_CODES)('a %s Task as the builder writes it is skipped, not echoed as task-changed', (stage) => {
    expect(mapFhirChange(written(stage), defaults)).toEqual({ action: 'skip', reason: 'Task/t1 written by the worker' });
  });
});

describe("a specialist's Task goes to the specialist's workflow", () => {
  const specialistTask = (overrides: object) =>
    task({
      identifier: [{ system: SPECIALIST_TASK_IDENTIFIER_SYSTEM, value: 's1/CASELOAD/1' }],
      businessStatus: { coding: [{ system: SPECIALIST_TASK_STATUS_SYSTEM, code: 'over-cap' }] },
      owner: { reference: 'Practitioner/sup' },
      ...overrides,
    });
  test('completed by the supervisor in the EHR: task-changed for specialist-s1', () => {
    expect(mapFhirChange(specialistTask({ status: 'completed', executionPeriod: { end: '2026-03-02T16:00:00Z' } }) as never, defaults)).toEqual({
      action: 'tell-specialist',
      specialist: 'Practitioner/s1',
      event: {
        type: 'task-changed',
        eventId: eventId('Task', 't1'),
        taskId: 't1',
        status: 'completed',
        owner: 'Practitioner/sup',
        at: '2026-03-02T16:00:00.000Z',
        sourceUpdatedAt: '2026-03-02T15:00:00.000Z',
      },
    });
  });
  test("the worker's own writes are skipped; the EHR's completion carrying our meta.source is not", () => {
    const ours = { ...meta, source: WORKER_SOURCE };
    expect(mapFhirChange(specialistTask({ meta: ours }) as never, defaults)).toEqual({ action: 'skip', reason: 'Task/t1 written by the worker' });
    const closed = { status: 'completed', businessStatus: { coding: [{ system: SPECIALIST_TASK_STATUS_SYSTEM, code: 'back-within' }] } };
    expect(mapFhirChange(specialistTask({ meta: { ...ours, source: `${WORKER_SOURCE}#req1` }, ...closed }) as never, defaults)).toMatchObject({ action: 'skip' });
    expect(mapFhirChange(specialistTask({ meta: ours, status: 'completed' }) as never, defaults)).toMatchObject({ action: 'tell-specialist' });
    const approved = { status: 'completed', businessStatus: { coding: [{ system: SPECIALIST_TASK_STATUS_SYSTEM, code: 'approved' }] } };
    expect(mapFhirChange(specialistTask({ meta: ours, ...approved }) as never, defaults)).toMatchObject({ action: 'tell-specialist' });
  });
  test('a malformed identifier or a status we do not act on is skipped', () => {
    expect(mapFhirChange(specialistTask({ identifier: [{ system: SPECIALIST_TASK_IDENTIFIER_SYSTEM, value: 'not an id/CASELOAD/1' }] }) as never, defaults)).toEqual({
      action: 'skip',
      reason: 'Task/t1 has a malformed specialist Task identifier',
    });
    expect(mapFhirChange(specialistTask({ status: 'draft' }) as never, defaults)).toEqual({ action: 'skip', reason: 'Task/t1 status draft' });
  });
});

describe('episodeInputOf', () => {
  test('patient, careManager, managingOrganization over the default agency, admission, configured supervisor', () => {
    const result = episodeInputOf({ ...episode, managingOrganization: { reference: 'Organization/org2' } } as never, defaults, 'CarePlan/cp1');
    expect(result).toMatchObject({
      ok: true,
      input: {
        patient: 'Patient/p1',
        episodeOfCare: 'EpisodeOfCare/e1',
        carePlan: 'CarePlan/cp1',
        specialist: 'Practitioner/s1',
        supervisor: 'Practitioner/sup',
        agency: 'Organization/org2',
        admissionDate: '2026-01-15',
      },
    });
  });
  test('names what is missing, never values', () => {
    const noAgency = episodeDefaultsSchema.parse({ supervisor: 'Practitioner/sup' });
    expect(episodeInputOf({ ...episode, period: undefined } as never, noAgency)).toEqual({
      ok: false,
      reason: 'EpisodeOfCare/e1 cannot start an episode: missing or invalid agency, admissionDate',
    });
  });
  test('EpisodeOfCare.type codes are the level of care; none without a type', () => {
    const typed = { ...episode, type: [{ coding: [{ system: 'http://example.org/loc', code: 'rehab' }] }, { coding: [{ code: 'rehab' }, { code: 'adult' }] }] };
    expect(episodeInputOf(typed as never, defaults)).toMatchObject({ ok: true, input: { levelOfCare: ['rehab', 'adult'] } });
    const untyped = episodeInputOf(episode as never, defaults);
    expect(untyped.ok && 'levelOfCare' in untyped.input).toBe(false);
  });
  test.each([
    { case: 'finished before the backfill date', period: { start: '2026-01-15', end: '2026-02-27' }, status: 'finished', starts: false },
    { case: 'ended on the backfill date', period: { start: '2026-01-15', end: '2026-02-28' }, status: 'finished', starts: true },
    { case: 'finished after it', period: { start: '2026-01-15', end: '2026-03-10' }, status: 'finished', starts: true },
    { case: 'an end before it, whatever the status', period: { start: '2026-01-15', end: '2026-02-01' }, status: 'active', starts: false },
    { case: 'an end instant late on the day before, agency time', period: { start: '2026-01-15', end: '2026-02-28T03:00:00Z' }, status: 'finished', starts: false },
    { case: 'still open', period: { start: '2026-01-15' }, status: 'active', starts: true },
  ])('a backfill from 2026-02-28: $case', ({ period, status, starts }) => {
    const result = episodeInputOf({ ...episode, status, period } as never, defaults, undefined, '2026-02-28');
    expect(result.ok).toBe(starts);
    if (!starts) expect(result).toEqual({ ok: false, reason: 'EpisodeOfCare/e1 ended before the backfill from 2026-02-28: not started' });
    expect(episodeInputOf({ ...episode, status, period } as never, defaults).ok).toBe(true);
  });
});
