import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { expect, test } from 'vitest';
import { CARE_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.ts';
import { startTemporalDevServer } from './dev-server.ts';

test('the dev server registers our search attributes and keeps workflows across a restart', async () => {
  const dbFile = join(mkdtempSync(join(tmpdir(), 'dev-server-test-')), 'temporal.sqlite');
  const workflowId = `restart-check-${Date.now()}`;

  const first = await startTemporalDevServer({ dbFile, ui: true });
  try {
    const connection = await Connection.connect({ address: first.address });
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: first.namespace });
    for (const key of CARE_SEARCH_ATTRIBUTES) expect(Object.keys(customAttributes ?? {})).toContain(key.name);
    expect((await fetch(first.uiUrl as string)).status).toBe(200);
    // No worker polls this queue: the execution just waits, as a real one would during an outage.
    await new Client({ connection }).workflow.start('clientEpisode', { taskQueue: 'nobody-polls-this', workflowId, args: [] });
    await connection.close();
  } finally {
    await first.stop();
  }

  const second = await startTemporalDevServer({ dbFile, ui: false });
  try {
    const connection = await Connection.connect({ address: second.address });
    const description = await new Client({ connection }).workflow.getHandle(workflowId).describe();
    expect(description.status.name).toBe('RUNNING');
    await connection.close();
  } finally {
    await second.stop();
  }
});
