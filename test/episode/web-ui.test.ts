/**
 * The coordinators' view in the Temporal Web UI of the real dev server: the workflow list filtered
 * by patient shows the episode with its summary, and the episode's page shows its details.
 * Screenshots go to test-results/.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { expect, test } from 'vitest';
import { startFhirServer } from '../../fhir-server/server.ts';
import { startTemporalDevServer } from '../../local-stack/dev-server.ts';
import { createFhirClient } from '../../platform/fhir-client.ts';
import { createCareWorker } from '../../worker/worker.ts';
import { getState } from '../../workflows/episode/messages.ts';
import { episodeStartOptions } from '../../workflows/episode/start-options.ts';
import type { clientEpisode } from '../../workflows/index.ts';
import { launchHeadlessChromium, TEST_RESULTS as RESULTS } from '../headless-chromium.ts';
import { episodeInput } from './harness.ts';


test('Web UI: list filtered by patient shows the episode and its summary; the details page shows the requirements', { timeout: 240_000 }, async () => {
  mkdirSync(RESULTS, { recursive: true });
  const temporal = await startTemporalDevServer({ ui: true });
  const fhirServer = await startFhirServer({ dataDir: mkdtempSync(join(tmpdir(), 'ui-fhir-')) });
  const connection = await NativeConnection.connect({ address: temporal.address });
  const worker = await createCareWorker({ connection, namespace: temporal.namespace, taskQueue: 'ui-test', fhir: createFhirClient({ baseUrl: fhirServer.baseUrl, auth: { kind: 'none' } }) });
  const running = worker.run();
  const client = new Client({ connection: await Connection.connect({ address: temporal.address }), namespace: temporal.namespace });
  const browser = await launchHeadlessChromium();
  try {
    // Admitted three weeks ago: CIP-INITIAL is overdue and escalated.
    const admitted = new Date(Date.now() - 21 * 86_400_000).toISOString().slice(0, 10);
    const handle = await client.workflow.start<typeof clientEpisode>('clientEpisode', episodeStartOptions(episodeInput('ui1', admitted), 'ui-test'));
    for (let i = 0; i < 100; i++) {
      const state = await handle.query(getState);
      if (Object.values(state.requirements).some((requirement) => requirement.code === 'ESCALATION' && requirement.synced)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const query = encodeURIComponent(`CarePatientId="p-ui1"`);
    // The list is served from visibility, which lags a moment behind the upsert.
    for (let attempt = 0; attempt < 20; attempt++) {
      await page.goto(`${temporal.uiUrl}/namespaces/${temporal.namespace}/workflows?query=${query}`);
      await page.waitForLoadState('networkidle');
      if ((await page.content()).includes(handle.workflowId)) break;
      await page.waitForTimeout(500);
    }
    await page.screenshot({ path: join(RESULTS, 'web-ui-list-by-patient.png'), fullPage: true });
    const list = await page.content();
    expect(list.includes(handle.workflowId), 'episode listed when filtered by patient').toBe(true);

    await page.goto(`${temporal.uiUrl}/namespaces/${temporal.namespace}/workflows/${handle.workflowId}/${handle.firstExecutionRunId}/history`);
    // The details page keeps polling, so wait for content rather than an idle network.
    await page.getByText('episode-ui1').first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(RESULTS, 'web-ui-episode-page.png'), fullPage: true });
    // Summary and current details live under the User Metadata tab.
    await page.getByText('User Metadata').first().click();
    await page.waitForTimeout(3000);
    await page.screenshot({ path: join(RESULTS, 'web-ui-user-metadata.png'), fullPage: true });
    await page.screenshot({ path: join(RESULTS, 'web-ui-episode-details.png'), fullPage: true });
    // The Markdown is rendered in a sandboxed frame: read every frame.
    const details = (await Promise.all(page.frames().map((frame) => frame.content()))).join('\n');
    expect(details.includes('EpisodeOfCare/ui1 · admitted'), 'static summary shown').toBe(true);
    expect(details.includes('ESCALATION'), 'current details table shown').toBe(true);
    expect(details.includes('Practitioner/supervisor-1'), 'escalation owner shown').toBe(true);
    await handle.terminate('web ui test done');
  } finally {
    await browser.close();
    worker.shutdown();
    await running;
    await fhirServer.stop();
    await temporal.stop();
  }
});
