import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Journal } from './journal.ts';
import type { JournalEntry, JournalOptions } from './journal.ts';
import { StorageUnavailableError } from './storage-unavailable.ts';
import { testStorage } from './test-storage.ts';
import type { TestStorage } from './test-storage.ts';

const put = (id: string, versionId = '1'): JournalEntry => ({ op: 'put', resource: { resourceType: 'Patient', id, meta: { versionId } } });
const freshPath = (): string => join(mkdtempSync(join(tmpdir(), 'journal-test-')), 'fhir', 'journal.ndjson');
const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

async function open(path: string, options: JournalOptions = {}): Promise<{ journal: Journal; commits: JournalEntry[][]; warnings: string[] }> {
  const commits: JournalEntry[][] = [];
  const { journal, warnings } = await Journal.open(path, options, async (entries) => {
    commits.push(entries);
  });
  return { journal, commits, warnings };
}

describe('journal', () => {
  test('a short write is completed: every commit is whole and the next one starts on its own line', async () => {
    const path = freshPath();
    const storage = testStorage();
    storage.maxBytesPerWrite = 7;
    const { journal } = await open(path, { fs: storage });
    const commits = [[put('a')], [put('b'), put('c')], [put('d')]];
    for (const commit of commits) journal.commit(commit);
    journal.close();
    expect(storage.writeCalls).toBeGreaterThan(20);

    const reopened = await open(path);
    expect(reopened.commits).toEqual(commits);
    expect(reopened.warnings).toEqual([]);
    reopened.journal.close();
  });

  test('a corrupt record before the last one stops start-up, naming the file and its byte offset', async () => {
    const path = freshPath();
    const { journal } = await open(path);
    journal.commit([put('a')]);
    journal.close();
    const offset = statSync(path).size;
    appendFileSync(path, `[{"op":"put","resource":{"resourceType":"Pat\n${JSON.stringify([put('b')])}\n`);
    const before = readFileSync(path);

    await expect(open(path)).rejects.toThrow(`${path}: the record at byte offset ${offset} is not a valid commit; start-up stopped`);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  test('a torn last record is cut off with a warning, and the next commit follows the last whole one', async () => {
    const path = freshPath();
    const { journal } = await open(path);
    journal.commit([put('a')]);
    journal.close();
    const offset = statSync(path).size;
    appendFileSync(path, '[{"op":"put","resource":{"resourceType":"Pat');

    const reopened = await open(path);
    expect(reopened.warnings).toEqual([`journal ${path}: incomplete last commit (44 bytes at offset ${offset}) skipped and cut off`]);
    expect(statSync(path).size).toBe(offset);
    reopened.journal.commit([put('b')]);
    reopened.journal.close();
    expect((await open(path)).commits).toEqual([[put('a')], [put('b')]]);
  });

  test('a journal of the format before snapshots (no header) is read, records spanning read chunks included', async () => {
    const path = freshPath();
    mkdirSync(join(path, '..'), { recursive: true });
    const big = { op: 'put', resource: { resourceType: 'Patient', id: 'big', text: { status: 'generated', div: `<div>${'x'.repeat(3 << 20)}</div>` } } };
    writeFileSync(path, `${JSON.stringify([put('a')])}\n${JSON.stringify([big])}\n${JSON.stringify([put('c')])}\n`);
    const { commits, warnings, journal } = await open(path);
    expect(commits.map((commit) => (commit[0] as { resource: { id: string } }).resource.id)).toEqual(['a', 'big', 'c']);
    expect(warnings).toEqual([]);
    journal.close();
  });

  test('an existing 0644 journal in a 0755 folder becomes 0600 in 0700; new files are 0600', async () => {
    const path = freshPath();
    const dir = join(path, '..');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, `${JSON.stringify([put('a')])}\n`);
    chmodSync(dir, 0o755);
    chmodSync(path, 0o644);
    const { journal } = await open(path, { compactAfterBytes: 0 });
    journal.compact([[put('a')]], 1);
    journal.close();
    expect({ dir: mode(dir), journal: mode(path), snapshot: mode(journal.snapshotPath) }).toEqual({ dir: '700', journal: '600', snapshot: '600' });

    const fresh = freshPath();
    (await open(fresh)).journal.close();
    expect({ dir: mode(join(fresh, '..')), journal: mode(fresh) }).toEqual({ dir: '700', journal: '600' });
  });

  test('compaction: the snapshot replaces the journal, and start-up reads the snapshot then the new journal', async () => {
    const path = freshPath();
    const { journal } = await open(path, { compactAfterBytes: 0 });
    journal.commit([put('a', '1')]);
    journal.commit([put('a', '2')]);
    expect(journal.compactionDue()).toBe(true);
    journal.compact([[put('a', '1'), put('a', '2')]], 1);
    journal.commit([put('b')]);
    journal.close();
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('{"journal":{"sequence":1}}');
    expect(readFileSync(journal.snapshotPath, 'utf8').split('\n')[0]).toBe('{"snapshot":{"covers":0,"records":1}}');

    const reopened = await open(path);
    expect(reopened.commits).toEqual([[put('a', '1'), put('a', '2')], [put('b')]]);
    reopened.journal.close();
  });

  test('a compaction interrupted after its snapshot: start-up skips the journal the snapshot holds', async () => {
    const path = freshPath();
    const storage = testStorage();
    const { journal } = await open(path, { fs: storage, compactAfterBytes: 0 });
    journal.commit([put('a')]);
    failJournalRename(storage, path);
    expect(() => journal.compact([[put('a')]], 1)).toThrow(StorageUnavailableError);

    const restarted = await open(path);
    expect(restarted.commits).toEqual([[put('a')]]);
    expect(restarted.warnings).toEqual([`journal ${path}: sequence 0 is already in the snapshot (compaction was interrupted); started sequence 1`]);
    restarted.journal.commit([put('b')]);
    restarted.journal.close();
    expect((await open(path)).commits).toEqual([[put('a')], [put('b')]]);
    journal.close();
  });

  test('a compaction interrupted after its snapshot: commits wait, then go to a new journal, not the one the snapshot holds', async () => {
    const path = freshPath();
    const storage = testStorage();
    let now = 0;
    const { journal } = await open(path, { fs: storage, compactAfterBytes: 0, retryAfterMs: 1000, now: () => now });
    journal.commit([put('a')]);
    failJournalRename(storage, path);
    expect(() => journal.compact([[put('a')]], 1)).toThrow(StorageUnavailableError);
    expect(() => journal.commit([put('b')])).toThrow(StorageUnavailableError);
    storage.renameSync = renameSync;
    now = 1000;
    journal.commit([put('b')]);
    journal.close();
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('{"journal":{"sequence":1}}');
    const restarted = await open(path);
    expect(restarted.commits).toEqual([[put('a')], [put('b')]]);
    expect(restarted.warnings).toEqual([]);
    restarted.journal.close();
  });

  test('a missing or cut snapshot stops start-up instead of starting without what it held', async () => {
    const path = freshPath();
    const { journal } = await open(path, { compactAfterBytes: 0 });
    journal.compact([[put('a')], [put('b')]], 2);
    journal.close();
    const snapshot = readFileSync(journal.snapshotPath, 'utf8');
    writeFileSync(journal.snapshotPath, snapshot.split('\n').slice(0, 2).join('\n') + '\n');
    await expect(open(path)).rejects.toThrow(`snapshot ${journal.snapshotPath}: 1 records where its header promises 2; start-up stopped`);
    rmSync(journal.snapshotPath);
    await expect(open(path)).rejects.toThrow(`journal ${path}: sequence 1 follows a snapshot of sequence -1`);
  });
});

/** Makes the rename that puts a new journal in place at `path` fail (the snapshot's still works). */
function failJournalRename(storage: TestStorage, path: string): void {
  const rename = storage.renameSync;
  storage.renameSync = (from, to) => {
    if (to === path) throw Object.assign(new Error('simulated'), { code: 'EIO' });
    rename(from, to);
  };
}
