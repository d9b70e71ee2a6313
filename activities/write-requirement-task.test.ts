import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MedplumClient } from '@medplum/core';
import { startFhirServer } from '../fhir-server/server.ts';
import { startHapiFhirServer } from '../local-stack/hapi-fhir.ts';
import { createFhirClient } from '../platform/fhir-client.ts';
import type { RequirementTaskWrite } from '../domain/episode/episode-activities.ts';
import type { Requirement } from '../domain/episode/state.ts';
import { writeRequirementTask } from './write-requirement-task.ts';

const OPENS_AT = Date.parse('2026-01-15T06:00:00Z');
const DUE_AT = Date.parse('2026-01-30T05:59:59.999Z');

const EPISODES = ['twice', 'conflict', 'working', 'completed-by-staff', 'elements'];

/** What the Tasks refer to, for a server that checks references (HAPI). */
async function writeReferencedResources(fhir: MedplumClient): Promise<void> {
  await fhir.updateResource({ resourceType: 'Patient', id: 'p1', active: true });
  await fhir.updateResource({ resourceType: 'Organization', id: 'agency-1', active: true });
  for (const id of ['specialist-1', 'specialist-2']) await fhir.updateResource({ resourceType: 'Practitioner', id, active: true });
  for (const id of EPISODES) await fhir.updateResource({ resourceType: 'EpisodeOfCare', id, status: 'active', patient: { reference: 'Patient/p1' } });
  await fhir.updateResource({ resourceType: 'CarePlan', id: 'cp1', status: 'active', intent: 'plan', subject: { reference: 'Patient/p1' } });
  await fhir.updateResource({ resourceType: 'QuestionnaireResponse', id: 'qr1', status: 'completed', subject: { reference: 'Patient/p1' } });
}

const servers: [string, () => Promise<{ baseUrl: string; stop(): Promise<void> }>][] = [
  ['the embedded FHIR server', () => startFhirServer({ dataDir: mkdtempSync(join(tmpdir(), 'write-task-')) })],
  ['HAPI FHIR', () => startHapiFhirServer()],
];

let server: { baseUrl: string; stop(): Promise<void> };

const fhirClient = (fetchImpl: typeof fetch = fetch) => createFhirClient({ baseUrl: server.baseUrl, auth: { kind: 'none' } }, fetchImpl);

/** The CIP-INITIAL requirement of episode `episode`, open unless `changes` say otherwise. */
function write(episode: string, changes: Partial<Requirement> = {}): RequirementTaskWrite {
  return {
    patient: 'Patient/p1',
    episodeOfCare: `EpisodeOfCare/${episode}`,
    agency: 'Organization/agency-1',
    requirement: {
      key: 'CIP-INITIAL/c1',
      code: 'CIP-INITIAL',
      cycle: 'c1',
      ruleId: 'CIP-INITIAL',
      title: 'Initial Crisis Intervention Plan',
      opensAt: OPENS_AT,
      dueSoonAt: OPENS_AT,
      dueAt: DUE_AT,
      dueDate: '2026-01-29',
      focus: `EpisodeOfCare/${episode}`,
      owner: 'Practitioner/specialist-1',
      stage: 'open',
      openedAt: OPENS_AT,
      synced: false,
      ...changes,
    },
    now: OPENS_AT + 60_000,
  };
}

async function staffSets(taskId: string, status: Task['status'], note?: string): Promise<void> {
  const fhir = fhirClient();
  const task = await fhir.readResource('Task', taskId, { cache: 'no-cache' });
  await fhir.updateResource({ ...task, status, ...(note ? { note: [{ text: note }] } : {}) });
}

describe.each(servers)('writing a requirement Task on %s', (_name, start) => {
  beforeAll(async () => {
    server = await start();
    await writeReferencedResources(fhirClient());
  }, 600_000);
  afterAll(() => server?.stop());

  test('every element we set is kept by the server: owner, requester, focus, for, basedOn, input, then output and executionPeriod, and statusReason', async () => {
    const fhir = fhirClient();
    const open = { ...write('elements'), carePlan: 'CarePlan/cp1' };
    const { taskId } = await writeRequirementTask(fhir, open);
    const written = await fhir.readResource('Task', taskId, { cache: 'no-cache' });
    expect(written).toMatchObject({
      status: 'ready',
      owner: { reference: 'Practitioner/specialist-1' },
      requester: { reference: 'Organization/agency-1' },
      focus: { reference: 'EpisodeOfCare/elements' },
      for: { reference: 'Patient/p1' },
      basedOn: [{ reference: 'CarePlan/cp1' }],
      restriction: { period: { end: new Date(DUE_AT).toISOString() } },
    });
    expect(written.input?.[0]?.valueCanonical).toMatch(/\/Questionnaire\/crisis-intervention-plan$/);

    const met = { stage: 'met-on-time', evidence: 'QuestionnaireResponse/qr1', metAt: DUE_AT - 60_000, closedAt: DUE_AT } as const;
    await writeRequirementTask(fhir, { ...open, requirement: { ...open.requirement, ...met } });
    const completed = await fhir.readResource('Task', taskId, { cache: 'no-cache' });
    expect(completed.status).toBe('completed');
    expect(completed.output?.[0]?.valueReference?.reference).toBe('QuestionnaireResponse/qr1');
    expect(Date.parse(completed.executionPeriod?.end as string)).toBe(DUE_AT - 60_000);

    const cancelled = { ...write('elements', { key: 'CIP-INITIAL/c2', cycle: 'c2' }), carePlan: 'CarePlan/cp1' };
    const reason = 'Client discharged from the program on 2026-01-20';
    const second = await writeRequirementTask(fhir, { ...cancelled, requirement: { ...cancelled.requirement, stage: 'discharged', reason, closedAt: DUE_AT } });
    const withdrawn = await fhir.readResource('Task', second.taskId, { cache: 'no-cache' });
    expect(withdrawn.status).toBe('cancelled');
    expect(withdrawn.statusReason?.text).toBe(reason);
  });

  test('conditional create twice: one Task', async () => {
    const fhir = fhirClient();
    const first = await writeRequirementTask(fhir, write('twice'));
    const second = await writeRequirementTask(fhir, write('twice'));
    expect(second.taskId).toBe(first.taskId);
    expect(await fhir.searchResources('Task', { focus: 'EpisodeOfCare/twice' }, { cache: 'no-cache' })).toHaveLength(1);
  });

  test('an If-Match conflict: the Task is read again and the update lands on the newer version', async () => {
    const { taskId } = await writeRequirementTask(fhirClient(), write('conflict'));
    let interfered = false;
    const interfering: typeof fetch = async (input, init) => {
      if (init?.method === 'PUT' && !interfered) {
        interfered = true;
        await staffSets(taskId, 'ready', 'called the client');
      }
      return fetch(input, init);
    };
    const moved = await writeRequirementTask(fhirClient(interfering), write('conflict', { owner: 'Practitioner/specialist-2' }));
    expect(interfered).toBe(true);
    const task = await fhirClient().readResource('Task', taskId, { cache: 'no-cache' });
    expect(task.owner?.reference).toBe('Practitioner/specialist-2');
    expect(task.note?.[0]?.text).toBe('called the client');
    expect(task.meta?.versionId).toBe(moved.versionId);
    expect(Number(await fhirClient().readHistory('Task', taskId).then((history) => history.entry?.length))).toBe(3);
  });

  test('a Task staff put in progress stays in progress while the requirement is open, and moves on when it is met', async () => {
    const fhir = fhirClient();
    const { taskId } = await writeRequirementTask(fhir, write('working'));
    await staffSets(taskId, 'in-progress');
    const updated = await writeRequirementTask(fhir, write('working', { stage: 'overdue', owner: 'Practitioner/specialist-2' }));
    expect(updated.changedInEhr).toBeUndefined();
    const working = await fhir.readResource('Task', taskId, { cache: 'no-cache' });
    expect([working.status, working.owner?.reference]).toEqual(['in-progress', 'Practitioner/specialist-2']);
    const met = { stage: 'met-on-time', evidence: 'QuestionnaireResponse/qr1', metAt: DUE_AT - 60_000, closedAt: DUE_AT } as const;
    await writeRequirementTask(fhir, write('working', met));
    expect((await fhir.readResource('Task', taskId, { cache: 'no-cache' })).status).toBe('completed');
  });

  test('a Task staff completed is never cancelled by a discharge: the write reports the EHR change instead', async () => {
    const fhir = fhirClient();
    const { taskId } = await writeRequirementTask(fhir, write('completed-by-staff'));
    await staffSets(taskId, 'completed');
    const discharged = { stage: 'discharged', reason: 'Client discharged from the program on 2026-01-20', closedAt: DUE_AT } as const;
    const result = await writeRequirementTask(fhir, write('completed-by-staff', discharged));
    expect(result.changedInEhr?.status).toBe('completed');
    expect((await fhir.readResource('Task', taskId, { cache: 'no-cache' })).status).toBe('completed');
  });
});
