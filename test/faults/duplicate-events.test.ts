/**
 * Duplicated and reordered events (as redelivering, racing EHR notifications and polling produce
 * them, through both the signal and the update): no Task is duplicated, and the episode ends with
 * the same Tasks as an episode that got every event once, in order, but for one documented rule: a
 * hospital stay whose release arrives before its admission counts as "reported only once it had
 * ended", whose weekly HOSPITAL-CONTACT Task is never written (domain/episode/apply-event.ts).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startDevStack, type DevStack } from '../../bench/stack/dev-stack.ts';
import { faceToFace, startEpisode, syntheticEpisode, todayInAgency } from '../../bench/stack/episodes.ts';
import { listTasks, type TaskSummary } from '../../bench/stack/fhir-tasks.ts';
import type { NodeProcess } from '../../bench/stack/node-process.ts';
import type { EpisodeEventInput } from '../../domain/episode/events.ts';
import { episodeEvent, recordEvent } from '../../workflows/episode/messages.ts';
import { reportTally } from './report.ts';

const QUEUE = 'faults-duplicates';
let stack: DevStack;
let worker: NodeProcess;

beforeAll(async () => {
  stack = await startDevStack();
  worker = await stack.startWorker(QUEUE);
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

function events(today: string): Record<string, EpisodeEventInput> {
  return {
    contact: faceToFace('f1', today),
    note: { type: 'document-completed', eventId: 'QuestionnaireResponse/n-f1/_history/1', requirement: 'NOTE-INDIVIDUAL', cycle: 'f1', questionnaireResponseId: 'n-f1', completedAt: new Date().toISOString() },
    admitted: { type: 'hospital-admission', eventId: 'Encounter/h1/_history/1', encounterId: 'h1', admittedOn: today },
    released: { type: 'hospital-release', eventId: 'Encounter/h1/_history/2', encounterId: 'h1', releasedOn: today },
    reassigned: { type: 'staff-reassigned', eventId: 'CareTeam/ct1/_history/2', role: 'specialist', practitioner: 'Practitioner/bench-specialist-2' },
  };
}

/** The episode's Tasks keyed by identifier without the episode id, with their status. */
function shapeOf(tasks: readonly TaskSummary[], episodeId: string): string[] {
  return tasks
    .filter((task) => task.identifier.startsWith(`${episodeId}/`))
    .map((task) => `${task.identifier.slice(episodeId.length + 1)} ${task.status} ${task.businessStatus}`)
    .sort();
}

test('duplicated and reordered events: no duplicate Tasks, the same Tasks as in-order delivery (but the documented late-reported stay)', async () => {
  const today = todayInAgency();
  const e = events(today);
  const inOrder = await startEpisode(stack.client, syntheticEpisode('dup-ctl', today), QUEUE);
  for (const event of [e.contact, e.note, e.admitted, e.released, e.reassigned]) await inOrder.executeUpdate(recordEvent, { args: [event!] });

  const scrambled = await startEpisode(stack.client, syntheticEpisode('dup-x', today), QUEUE);
  const viaSignal = (event: EpisodeEventInput) => scrambled.signal(episodeEvent, event);
  const viaUpdate = (event: EpisodeEventInput) => scrambled.executeUpdate(recordEvent, { args: [event] });
  await viaSignal(e.note!); // the note before its contact
  await viaSignal(e.released!); // the release before the admission
  await Promise.all([viaSignal(e.contact!), viaUpdate(e.contact!), viaSignal(e.contact!)]);
  await viaUpdate(e.admitted!);
  await Promise.all([viaUpdate(e.reassigned!), viaSignal(e.reassigned!), viaUpdate(e.note!), viaSignal(e.admitted!), viaUpdate(e.released!)]);
  const receipt = await viaUpdate(e.contact!);
  expect(receipt.outcome).toBe('duplicate');

  // Both episodes settle: their Tasks stop changing.
  let last = '';
  let tasks: TaskSummary[] = [];
  for (let stableFor = 0, waited = 0; stableFor < 3 && waited < 120; waited++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    tasks = await listTasks(stack.fhir.baseUrl);
    const now = JSON.stringify([shapeOf(tasks, 'dup-ctl'), shapeOf(tasks, 'dup-x')]);
    stableFor = now === last && shapeOf(tasks, 'dup-ctl').length > 0 ? stableFor + 1 : 0;
    last = now;
  }
  const control = shapeOf(tasks, 'dup-ctl');
  const result = shapeOf(tasks, 'dup-x');
  const identifiers = tasks.filter((task) => task.identifier.startsWith('dup-x/')).map((task) => task.identifier);
  const duplicates = identifiers.filter((identifier, index) => identifiers.indexOf(identifier) !== index);
  const expected = control.map((row) => row.split(' ')[0]!).filter((key) => !key.startsWith('HOSPITAL-CONTACT/h1.'));
  reportTally('duplicated and reordered events', {
    expected: expected.length,
    found: expected.filter((key) => identifiers.includes(`dup-x/${key}`)).length,
    missing: [],
    duplicates,
    unexpected: identifiers.filter((identifier) => !expected.includes(identifier.slice('dup-x/'.length))),
  });
  console.log(`[faults] in order: ${control.join('; ')}\n[faults] scrambled: ${result.join('; ')}`);
  expect(duplicates).toEqual([]);
  expect(result).toEqual(control.filter((row) => !row.startsWith('HOSPITAL-CONTACT/h1.')));
});
