/**
 * PHI at rest. The whole local stack as `npm start` runs it (dev server on its SQLite file, codec
 * server, embedded FHIR server, the worker process with its generated key) runs a synthetic episode
 * whose payload-only fields carry a distinctive marker: the CarePlan reference of the workflow input,
 * the free-text event id and Encounter ids of an update and a signal (which end up in activity
 * inputs, query results, timer summaries and the current details), and a memo. Then:
 * - a Task write the FHIR server refuses with an answer that quotes the marker (a reference staff
 *   typed as free text, which our profile refuses on the worker's next update) is recorded with its
 *   HTTP status and OperationOutcome code only;
 * - the marker and the episode's dates appear nowhere in the Temporal database files or the logs,
 *   and failure messages are not stored in clear either;
 * - search attributes hold opaque FHIR ids and codes only;
 * - the Web UI, in headless Chromium, still shows the decoded input and details through the codec server.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Task } from '@medplum/fhirtypes';
import { Client, Connection } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { addDays, format, parseISO } from 'date-fns';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../local-stack/tools.ts';
import { codecKeyring, loadOrCreateLocalKeys } from '../../platform/codec-keys.ts';
import { createDataConverter } from '../../platform/data-converter.ts';
import { createFhirClient } from '../../platform/fhir-client.ts';
import type { clientEpisode } from '../../workflows/episode/client-episode.ts';
import type { EpisodeInput } from '../../domain/episode/input.ts';
import { episodeEvent, getState, recordEvent } from '../../workflows/episode/messages.ts';
import { episodeStartOptions } from '../../workflows/episode/start-options.ts';
import { localDateOf } from '../../domain/rules/index.ts';
import { CARE_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.ts';
import { REQUIREMENT_TASK_PROFILE, TASK_IDENTIFIER_SYSTEM } from '../../domain/vocabulary.ts';
import { startLocalStackProcess } from './local-stack-process.ts';
import type { LocalStackProcess } from './local-stack-process.ts';
import { launchHeadlessChromium } from '../headless-chromium.ts';

const MARKER = `phimarker${Date.now().toString(36)}`;
const TIME_ZONE = 'America/Chicago';
/** The User Metadata tab; the History tab goes beside it as `phi-web-ui-history.png`. */
const SCREENSHOT = join(PROJECT_ROOT, 'test-results', 'phi-web-ui.png');
const plusDays = (date: string, days: number): string => format(addDays(parseISO(date), days), 'yyyy-MM-dd');

const today = localDateOf(Date.now(), TIME_ZONE);
const input: EpisodeInput = {
  patient: 'Patient/phi-p1',
  episodeOfCare: 'EpisodeOfCare/phi-e1',
  carePlan: `CarePlan/${MARKER}-cp`,
  specialist: 'Practitioner/phi-s1',
  supervisor: 'Practitioner/phi-sup1',
  agency: 'Organization/phi-agency',
  admissionDate: plusDays(today, -10),
};
const contactDate = plusDays(today, -2);
const hospitalAdmittedOn = plusDays(today, -1);

let stack: LocalStackProcess;
let client: Client;
let handle: WorkflowHandle<typeof clientEpisode>;

beforeAll(async () => {
  stack = await startLocalStackProcess({ LOG_LEVEL: 'debug' });
  const dataConverter = createDataConverter(codecKeyring(loadOrCreateLocalKeys(stack.codecKeyFile)));
  client = new Client({ connection: await Connection.connect({ address: stack.temporalAddress }), dataConverter });
}, 120_000);

afterAll(async () => {
  await client?.connection.close();
  await stack?.stop();
});

test('payload-only fields are encrypted at rest, kept out of logs, and readable in the Web UI through the codec server', { timeout: 150_000 }, async () => {
  // The project sets no memo today; one is added here because memos are stored twice (history and visibility).
  handle = await client.workflow.start('clientEpisode', { ...episodeStartOptions(input, 'care-episodes'), memo: { coordinatorNote: `${MARKER} memo` } });
  const receipt = await handle.executeUpdate(recordEvent, {
    args: [
      {
        type: 'contact-recorded',
        eventId: `${MARKER} phone call noted by the specialist`,
        encounterId: `${MARKER}-enc`,
        kind: 'face-to-face',
        date: contactDate,
      },
    ],
  });
  expect(receipt).toEqual({ eventId: `${MARKER} phone call noted by the specialist`, outcome: 'applied' });
  await handle.signal(episodeEvent, {
    type: 'hospital-admission',
    eventId: `${MARKER} admission reported by phone`,
    encounterId: `${MARKER}-hosp`,
    admittedOn: hospitalAdmittedOn,
  });

  // The worker decrypted all of it: Tasks reached FHIR, the query answers with the marker in clear.
  const fhir = createFhirClient({ baseUrl: stack.fhirBaseUrl, auth: { kind: 'none' } });
  await eventually(async () => {
    const state = await handle.query(getState);
    expect(state.seenEventIds).toEqual(expect.arrayContaining([`${MARKER} phone call noted by the specialist`, `${MARKER} admission reported by phone`]));
    expect(Object.values(state.requirements).every((requirement) => requirement.synced)).toBe(true);
    const contactNote = Object.values(state.requirements).find((requirement) => requirement.cycle === `${MARKER}-enc`);
    expect(contactNote?.taskId).toBeDefined();
  });
  const task = await fhir.searchOne('Task', { identifier: `${TASK_IDENTIFIER_SYSTEM}|phi-e1/CIP-INITIAL/1` }, { cache: 'no-cache' });
  expect(task?.basedOn?.[0]?.reference).toBe(`CarePlan/${MARKER}-cp`);

  // Staff edit the Task in their EHR: it drops our profile from meta and takes a reference typed as
  // free text. Base R4 only warns about that reference, so the server takes the edit; the worker's
  // next update puts our profile back, under which a wrong reference target is an error the server
  // refuses, quoting the reference.
  const staffEdit = { ...task!, meta: { versionId: task!.meta?.versionId }, encounter: { reference: `${MARKER} home visit` } };
  const edited = await fetch(`${stack.fhirBaseUrl}/Task/${task!.id}`, { method: 'PUT', headers: { 'Content-Type': 'application/fhir+json' }, body: JSON.stringify(staffEdit) });
  expect(edited.status).toBe(200);
  await handle.executeUpdate(recordEvent, {
    args: [
      {
        type: 'document-completed',
        eventId: 'QuestionnaireResponse/phi-qr1/_history/1',
        requirement: 'CIP-INITIAL',
        questionnaireResponseId: 'phi-qr1',
        completedAt: new Date(Date.now() - 60_000).toISOString(),
      },
    ],
  });
  const refused = await eventually(async () => {
    const failure = (await handle.query(getState)).requirements['CIP-INITIAL/1']?.writeFailure;
    expect(failure?.status).toBe(400);
    return failure!;
  });
  expect(refused.code).toBe('structure');
  // What the server answers that update quotes the marker (so the scans below can find it if it leaks).
  const current = (await (await fetch(`${stack.fhirBaseUrl}/Task/${task!.id}`)).json()) as Task;
  const asTheWorkerWrites = { ...current, meta: { ...current.meta, profile: [REQUIREMENT_TASK_PROFILE] } };
  const answer = await fetch(`${stack.fhirBaseUrl}/Task/${task!.id}`, { method: 'PUT', headers: { 'Content-Type': 'application/fhir+json' }, body: JSON.stringify(asTheWorkerWrites) });
  expect(answer.status).toBe(400);
  expect(await answer.text()).toContain(MARKER);

  // Search attributes are never encrypted: opaque FHIR ids and codes only.
  const description = await handle.describe();
  expect(await description.memo).toEqual({ coordinatorNote: `${MARKER} memo` });
  const keywords: string[] = [];
  for (const key of CARE_SEARCH_ATTRIBUTES) {
    const value = description.typedSearchAttributes.get(key as never) as unknown;
    if (typeof value === 'string') keywords.push(value);
    if (Array.isArray(value)) keywords.push(...(value as string[]));
  }
  expect(description.typedSearchAttributes.get(CARE_SEARCH_ATTRIBUTES[0])).toBe('phi-p1');
  for (const value of keywords) {
    expect(value).toMatch(/^[A-Za-z0-9.:-]{1,64}$/);
    expect(value).not.toContain(MARKER);
  }

  // The Web UI shows what the worker wrote, decoded by the codec server, in a real browser.
  const browser = await launchHeadlessChromium();
  const codecRequests: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
    page.on('request', (request) => {
      if (request.url().startsWith(stack.codecUrl)) codecRequests.push(new URL(request.url()).pathname);
    });
    await page.goto(`${stack.uiUrl}/namespaces/default/workflows/${handle.workflowId}/${description.runId}/history`);
    await showsText(page, [`"CarePlan/${MARKER}-cp"`, `NOTE-INDIVIDUAL/${MARKER}-enc`]);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT.replace('.png', '-history.png'), fullPage: true });
    // The coordinators' view: static summary and current details (the `__temporal_workflow_metadata` query).
    await page.getByText('User Metadata', { exact: true }).first().click();
    await showsText(page, [`EpisodeOfCare/phi-e1 · admitted ${input.admissionDate}`, `Admitted ${input.admissionDate} · as of`, `${MARKER}-hosp/week-1`]);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  } finally {
    await browser.close();
  }
  expect(codecRequests).toContain('/decode');

  // Everything at rest, while the server runs and once it has stopped: the SQLite file and any -wal, -shm or -journal beside it.
  const dbFiles = () =>
    readdirSync(dirname(stack.temporalDbFile))
      .filter((name) => name.startsWith(basename(stack.temporalDbFile)))
      .map((name) => join(dirname(stack.temporalDbFile), name));
  const whileRunning = dbFiles();
  expect(whileRunning).toContain(stack.temporalDbFile);
  const snapshot = Buffer.concat(whileRunning.map((file) => readFileSync(file)));
  await stack.stop();
  const afterStop = dbFiles();
  expect(afterStop).toContain(stack.temporalDbFile);
  const atRest = Buffer.concat([snapshot, ...afterStop.map((file) => readFileSync(file))]);
  // The scan sees what is stored in clear (workflow id, search attributes) and that payloads are encrypted…
  expect(atRest.includes(handle.workflowId)).toBe(true);
  expect(atRest.includes('phi-sup1')).toBe(true);
  expect(atRest.includes('binary/encrypted')).toBe(true);
  // …and none of the PHI, nor the text of any failure (the refused write's is `… HTTP 400 structure`).
  const found = (text: string) => occurrences(atRest, text);
  console.log(
    `[phi] Temporal database: ${whileRunning.length} files while running + ${afterStop.length} stopped, ${atRest.length} bytes scanned; marker found ${found(MARKER)} times, ` +
      `"HTTP 400" ${found('HTTP 400')} times, "Encoded failure" ${found('Encoded failure')} times`,
  );
  for (const secret of [MARKER, input.admissionDate, contactDate, hospitalAdmittedOn, 'HTTP 400']) {
    expect(found(secret), `"${secret}" in the Temporal database`).toBe(0);
  }

  // Nor is it in any log: the worker's and FHIR server's lines (through npm start) and the dev server's own log.
  const serverLog = join(dirname(stack.temporalDbFile), 'server.log');
  const logs = stack.output() + (existsSync(serverLog) ? readFileSync(serverLog, 'utf8') : '');
  expect(logs).toContain('worker started');
  console.log(`[phi] logs: ${Buffer.byteLength(logs)} bytes scanned; marker found ${occurrences(Buffer.from(logs), MARKER)} times`);
  expect(logs).not.toContain(MARKER);
});

function occurrences(haystack: Buffer, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) count++;
  return count;
}

/** Waits until the rendered page (what a person sees, not hidden markup) shows every text. */
async function showsText(page: Page, texts: string[]): Promise<void> {
  // The UI renders Markdown (summary, details) inside sandboxed frames.
  const shown = async () => (await Promise.all(page.frames().map((frame) => frame.locator('body').innerText().catch(() => '')))).join('\n');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const text = await shown();
    if (texts.every((wanted) => text.includes(wanted))) return;
    await page.waitForTimeout(250);
  }
  const text = await shown();
  mkdirSync(dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT.replace('.png', '-failed.png'), fullPage: true });
  throw new Error(`the Web UI does not show ${JSON.stringify(texts.filter((wanted) => !text.includes(wanted)))}`);
}

async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
