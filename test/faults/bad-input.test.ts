/**
 * Bad input at every boundary gets a clear error and leaves the process up: configuration (the
 * worker process refuses to start, naming the variable), the HTTP intake, signals and updates of
 * an episode, a start input. (FHIR answers that are not FHIR: lying-fhir.fault.ts.)
 */
import { createFhirClient } from '../../platform/fhir-client.ts';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { episodeDefaultsSchema } from '../../domain/episode/episode-defaults.ts';
import { startIntakeServer, type RunningIntakeServer } from '../../intake/http-server.ts';
import { silentLog } from '../../platform/logger.ts';
import { episodeEvent, getState, recordEvent } from '../../workflows/episode/messages.ts';
import { startDevStack, type DevStack } from '../../bench/stack/dev-stack.ts';
import { faceToFace, startEpisode, syntheticEpisode, todayInAgency } from '../../bench/stack/episodes.ts';
import { runNodeScript, type NodeProcess } from '../../bench/stack/node-process.ts';

const QUEUE = 'faults-bad-input';
let stack: DevStack;
let worker: NodeProcess;
let intake: RunningIntakeServer;

beforeAll(async () => {
  stack = await startDevStack();
  worker = await stack.startWorker(QUEUE);
  intake = await startIntakeServer({
    delivery: {
      temporal: stack.client,
      fhir: createFhirClient({ baseUrl: stack.fhir.baseUrl, auth: { kind: 'none' } }),
      taskQueue: QUEUE,
      defaults: episodeDefaultsSchema.parse({ supervisor: 'Practitioner/fault-supervisor' }),
      log: silentLog,
    },
    secret: 'fault-test-secret-0123456789',
  });
});

afterAll(async () => {
  await intake?.stop();
  await worker?.stop();
  await stack?.stop();
});

test('configuration: the worker refuses to start with one line per bad variable, exit code 78', async () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ FHIR_BASE_URL: 'not-a-url' }, /^configuration error: FHIR_BASE_URL: must be an http\(s\) URL \(got "not-a-url"\)$/m],
    [{ TEMPORAL_ADDRESS: 'no-port' }, /^configuration error: TEMPORAL_ADDRESS: must be host:port/m],
    [{ CODEC_KEYS: 'k1:c2hvcnQ=' }, /^configuration error: CODEC_KEYS: key "k1" must be 32 bytes/m],
    [{ FHIR_AUTH: 'bearer' }, /^configuration error: FHIR_BEARER_TOKEN: is required when FHIR_AUTH=bearer/m],
    [{ METRICS_BIND: '0.0.0.0' }, /^configuration error: METRICS_BIND:/m],
  ];
  for (const [env, expected] of cases) {
    const { code, output } = await runNodeScript('worker/main.ts', { TEMPORAL_ADDRESS: stack.temporalAddress, ...env });
    expect(code, output).toBe(78);
    expect(output).toMatch(expected);
    expect(output).not.toContain('c2hvcnQ'); // a secret is never echoed
  }
});

test('HTTP intake: malformed notifications get a 4xx OperationOutcome and the server keeps answering', async () => {
  const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${intake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/fhir+json', ...headers }, body });
    return { status: response.status, body: (await response.json()) as { resourceType?: string } };
  };
  const auth = { Authorization: 'Bearer fault-test-secret-0123456789' };
  const answers = [
    await post('/notify/Encounter', '{"resourceType": "Encounter",', auth),
    await post('/notify/Encounter', '[]', auth),
    await post('/notify/Encounter', JSON.stringify({ resourceType: 'Encounter', status: 42 }), auth),
    await post('/notify/NotAType', '{}', auth),
    await post('/notify/Encounter', JSON.stringify({ resourceType: 'Encounter', status: 'finished' })),
  ];
  for (const answer of answers) {
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.resourceType).toBe('OperationOutcome');
  }
  expect((await post('/notify/Encounter', '{}', auth)).body.resourceType).toBe('OperationOutcome');
});

test('signals and updates: a malformed event is refused (update) or ignored (signal); the episode runs on and applies the next good one', async () => {
  const handle = await startEpisode(stack.client, syntheticEpisode('fault-bad-msg', todayInAgency()), QUEUE);
  const bad = [{}, { type: 'contact-recorded' }, { type: 'contact-recorded', eventId: 'x', encounterId: 'has space', kind: 'face-to-face', date: '2026-13-45' }, { type: 'nope', eventId: 'y' }, 'text', null];
  for (const event of bad) {
    const error = await handle.executeUpdate(recordEvent, { args: [event as never] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((error as WorkflowUpdateFailedError).cause?.message)).toMatch(/episode event rejected: .+:/);
    await handle.signal(episodeEvent, event as never);
  }
  const history = await handle.fetchHistory();
  const types = (history.events ?? []).map((event) => String(event.eventType));
  expect(types.filter((type) => type.includes('UPDATE_ACCEPTED') || type === '46')).toHaveLength(0); // validator refused them before history
  await handle.executeUpdate(recordEvent, { args: [faceToFace('good-1', todayInAgency())] });
  const state = await handle.query(getState);
  expect(state.status).toBe('active');
  expect(Object.keys(state.requirements)).toContain('NOTE-INDIVIDUAL/good-1');
  expect((await handle.describe()).status.name).toBe('RUNNING');
});

test('a start with an invalid input fails that workflow at once, without retrying, and names the field', async () => {
  const input = { ...syntheticEpisode('fault-bad-start', todayInAgency()), admissionDate: '2026-02-30x' };
  const handle = await stack.client.workflow.start('clientEpisode', { taskQueue: QUEUE, workflowId: 'episode-fault-bad-start', args: [input] });
  const error = await handle.result().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(WorkflowFailedError);
  expect(String((error as WorkflowFailedError).cause?.message)).toMatch(/invalid episode input: .*admissionDate/s);
  expect(worker.isRunning()).toBe(true);
});
