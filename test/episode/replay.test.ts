/**
 * Replays the histories recorded from real runs (test/fixtures/histories/) against today's
 * workflow code: a change that would make a running episode take another path fails here.
 * Such a change needs `patched()`. `RECORD_HISTORIES=1 vitest run test/episode` records new fixtures
 * beside the old ones, named after the newest patch; it never replaces one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { expect, test } from 'vitest';
import { WORKFLOWS_PATH, pinWorkerTimeZone } from '../../worker/worker.ts';

const FIXTURES = new URL('../fixtures/histories/', import.meta.url);

test('every recorded history replays with the current workflow code', { timeout: 300_000 }, async () => {
  const files = readdirSync(FIXTURES).filter((file) => file.endsWith('.json'));
  expect(files.length).toBeGreaterThan(0);
  const histories = files.map((file) => ({ workflowId: file.replace(/\.json$/, ''), history: JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) }));
  pinWorkerTimeZone();
  const results = Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH, replayName: 'episode-fixtures' }, histories);
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of results) {
    replayed += 1;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(files.length);
});
