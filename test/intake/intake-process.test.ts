/**
 * `node intake/main.ts` as the process operators run: every change it takes and hands to no
 * episode is logged (reference, reason code, reason text; no resource contents) and counted as
 * care_intake_changes_skipped{reason} on its Prometheus endpoint (INTAKE_METRICS_BIND); SIGTERM
 * stops it cleanly. Against the Temporal dev server and the embedded FHIR server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startNodeProcess, type NodeProcess } from '../../bench/stack/node-process.ts';
import { startFhirServer, type RunningFhirServer } from '../../fhir-server/server.ts';
import { CHANGES_SKIPPED_METRIC } from '../../activities/skipped-changes.ts';
import { freePort } from '../../platform/free-port.ts';
import { startTemporalDevServer, type RunningDevServer } from '../../local-stack/dev-server.ts';
import { notifyAsMedplum, post, writeAsEhr } from './fhir-sender.ts';
import { V3_ACT_CODE } from '../../domain/vocabulary.ts';

const SECRET = 'intake-process-secret-0123456789';

let temporal: RunningDevServer;
let fhirServer: RunningFhirServer;
let intake: NodeProcess;
let intakeUrl: string;
let metricsUrl: string;

beforeAll(async () => {
  temporal = await startTemporalDevServer({ ui: false });
  const dataDir = mkdtempSync(join(tmpdir(), 'intake-process-'));
  fhirServer = await startFhirServer({ dataDir: join(dataDir, 'fhir') });
  await writeAsEhr(fhirServer.baseUrl, { resourceType: 'Practitioner', id: 'sup', active: true });
  const [intakePort, metricsPort] = [await freePort(), await freePort()];
  intakeUrl = `http://127.0.0.1:${intakePort}`;
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  intake = await startNodeProcess({
    script: 'intake/main.ts',
    env: {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      FHIR_BASE_URL: fhirServer.baseUrl,
      CODEC_LOCAL_KEY_FILE: join(dataDir, 'codec-keys'),
      METRICS_BIND: 'off',
      INTAKE_BIND: `127.0.0.1:${intakePort}`,
      INTAKE_METRICS_BIND: `127.0.0.1:${metricsPort}`,
      INTAKE_SECRET: SECRET,
      INTAKE_SUPERVISOR: 'Practitioner/sup',
      INTAKE_POLL_INTERVAL: 'off',
    },
    readyText: 'intake listening',
  });
});

afterAll(async () => {
  await intake?.stop(10_000);
  await fhirServer?.stop();
  await temporal?.stop();
});

const meta = { versionId: '1', lastUpdated: '2026-03-02T15:00:00Z' };
const encounter = (id: string, fields: Record<string, unknown>): Resource =>
  ({ resourceType: 'Encounter', id, meta, class: { system: V3_ACT_CODE, code: 'HH' }, subject: { reference: 'Patient/nobody' }, period: { start: '2026-03-02T10:00:00Z' }, ...fields }) as Resource;

async function skippedCount(reason: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${CHANGES_SKIPPED_METRIC}{`) && candidate.includes(`reason="${reason}"`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

test('every skipped change is logged with its reason and counted by reason on the metrics endpoint', async () => {
  // A planned contact: nothing an episode acts on.
  expect((await notifyAsMedplum(intakeUrl, SECRET, encounter('planned-1', { status: 'planned' }))).status).toBe(200);
  expect((await notifyAsMedplum(intakeUrl, SECRET, encounter('planned-2', { status: 'planned' }))).status).toBe(200);
  // A finished contact of a patient without an active episode.
  expect((await notifyAsMedplum(intakeUrl, SECRET, encounter('orphan-1', { status: 'finished' }))).status).toBe(200);
  // Id-only, of a resource the FHIR server does not have.
  expect((await post(`${intakeUrl}/notify/Encounter/Encounter/gone-1`, '', { Authorization: `Bearer ${SECRET}` })).status).toBe(200);

  await expect.poll(() => skippedCount('not-an-episode-event'), { timeout: 15_000 }).toBe(2);
  expect(await skippedCount('no-active-episode')).toBe(1);
  expect(await skippedCount('resource-gone')).toBe(1);

  const skipped = intake
    .output()
    .split('\n')
    .filter((line) => line.includes('"FHIR change skipped"'))
    .map((line) => JSON.parse(line) as Record<string, string>);
  expect(skipped.map((entry) => [entry.resource, entry.reason])).toEqual([
    ['Encounter/planned-1', 'not-an-episode-event'],
    ['Encounter/planned-2', 'not-an-episode-event'],
    ['Encounter/orphan-1', 'no-active-episode'],
    ['Encounter/gone-1', 'resource-gone'],
  ]);
  // Ids, codes and the reason text only: no element values of the resource.
  for (const entry of skipped) {
    expect(Object.keys(entry).sort()).toEqual(['detail', 'level', 'message', 'reason', 'resource', 'time']);
    expect(entry.detail).not.toMatch(/2026-03-02|HH|nobody/);
  }
}, 60_000);

test('SIGTERM stops the intake cleanly', async () => {
  expect(await intake.stop(20_000)).toBe(0);
  expect(intake.output()).toContain('"intake stopped"');
});
