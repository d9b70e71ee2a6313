/**
 * The parts of the local stack together, as `npm start` runs them: the Temporal CLI dev server,
 * the embedded FHIR server and the care worker. An episode admitted three days ago (real clock)
 * must open its CIP-INITIAL Task in FHIR with the right due date, and the history the server
 * recorded must replay on the current workflow code.
 */
import type { Task } from '@medplum/fhirtypes';
import { addDays, format, parseISO } from 'date-fns';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFhirServer } from '../fhir-server/server.ts';
import { createFhirClient } from '../platform/fhir-client.ts';
import { bundleCareWorkflows } from '../worker/worker.ts';
import { startCareStack, type CareStack } from './care-stack.ts';
import { episodeWorkflowId } from '../domain/episode/input.ts';
import type { EpisodeInput } from '../domain/episode/input.ts';
import { localDateOf } from '../domain/rules/index.ts';
import { TASK_IDENTIFIER_SYSTEM } from '../domain/vocabulary.ts';

const TASK_QUEUE = 'care-episodes';
const TIME_ZONE = 'America/Chicago';
const plusDays = (date: string, days: number): string => format(addDays(parseISO(date), days), 'yyyy-MM-dd');

let stack: CareStack;
let client: Client;

beforeAll(async () => {
  stack = await startCareStack({ taskQueue: TASK_QUEUE, startFhir: (dataDir) => startFhirServer({ dataDir }) });
  client = stack.client;
});

afterAll(() => stack?.stop());

test('an episode admitted three days ago opens CIP-INITIAL in FHIR, due 14 days after admission', async () => {
  const today = localDateOf(Date.now(), TIME_ZONE);
  const admissionDate = plusDays(today, -3);
  const input: EpisodeInput = {
    patient: 'Patient/stack-p1',
    episodeOfCare: 'EpisodeOfCare/stack-e1',
    carePlan: 'CarePlan/stack-cp1',
    specialist: 'Practitioner/stack-s1',
    supervisor: 'Practitioner/stack-sup1',
    agency: 'Organization/stack-agency',
    admissionDate,
  };
  const handle = await client.workflow.start('clientEpisode', {
    taskQueue: TASK_QUEUE,
    workflowId: episodeWorkflowId(input.episodeOfCare),
    args: [input],
  });

  const fhir = createFhirClient({ baseUrl: stack.fhirBaseUrl, auth: { kind: 'none' } });
  const identifier = `${TASK_IDENTIFIER_SYSTEM}|stack-e1/CIP-INITIAL/1`;
  let task: Task | undefined;
  for (let attempt = 0; attempt < 100 && !task; attempt++) {
    task = await fhir.searchOne('Task', { identifier }, { cache: 'no-cache' });
    if (!task) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(task).toBeDefined();
  expect(task?.status).toBe('ready');
  expect(task?.for?.reference).toBe('Patient/stack-p1');
  expect(task?.owner?.reference).toBe('Practitioner/stack-s1');
  const due = task?.restriction?.period?.end as string;
  expect(localDateOf(Date.parse(due), TIME_ZONE)).toBe(plusDays(admissionDate, 14));

  // The history the real server recorded replays on the code we ship.
  const history = await handle.fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: await bundleCareWorkflows(), replayName: 'local-stack' }, history);
});
