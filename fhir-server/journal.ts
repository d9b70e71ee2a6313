/**
 * The embedded server's durable state: a snapshot and an append-only journal of the commits after
 * it, in the journal's folder (mode 0700, files 0600).
 *
 * - `journal.ndjson`: a header line `{"journal":{"sequence":N}}`, then one JSON line per commit
 *   (a transaction is one commit, so it is never half on disk), each written whole and fsynced
 *   before `commit` returns. A journal without a header (the format before snapshots) is sequence 0.
 * - `journal.snapshot.ndjson`: `{"snapshot":{"covers":N,"records":K}}`, then K commits that rebuild
 *   every resource with all its versions. It holds everything journals 0…N held.
 *
 * Start-up reads the snapshot, then the journal, in chunks. A record that is not a valid commit
 * stops start-up with the file and byte offset (the operator decides), unless it is the last thing
 * in the journal: a write torn by a crash, never acknowledged, which is cut off with a warning.
 *
 * Compaction writes a new snapshot (temporary file, fsync, rename, fsync of the folder), then starts
 * journal N+1 the same way. A crash between the two leaves journal N beside a snapshot covering it:
 * start-up skips it and starts N+1.
 *
 * A failed write or fsync is cut off again and makes the journal unhealthy: every commit is refused
 * with StorageUnavailableError until `retryAfterMs` has passed; the next commit then truncates the
 * file back to its last good length and tries again, and the journal is healthy once that works.
 */
import { basename, dirname, join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { defaultStorageFs, makePrivate, PRIVATE_FILE_MODE, readRecords, removeIfPresent, replaceFile, writeFully } from './record-file.ts';
import type { StorageFs } from './record-file.ts';
import { errnoCode, StorageUnavailableError } from './storage-unavailable.ts';

export type JournalEntry =
  | { op: 'put'; resource: Resource }
  | { op: 'delete'; resourceType: string; id: string }
  | { op: 'expunge'; resourceType: string; id: string };

export interface JournalOptions {
  /** The file-system calls, `node:fs` by default (tests pass a disk that fails). */
  fs?: StorageFs;
  /** How long commits are refused after a storage error before the disk is tried again (default 5 s). */
  retryAfterMs?: number;
  /** Compaction starts once the journal is past this size and past the snapshot's (default 64 MiB). */
  compactAfterBytes?: number;
  /** The clock of `retryAfterMs` (tests). */
  now?: () => number;
}

export const DEFAULT_RETRY_AFTER_MS = 5_000;
export const DEFAULT_COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

export class Journal {
  readonly path: string;
  readonly snapshotPath: string;
  private readonly fs: StorageFs;
  private readonly retryAfterMs: number;
  private readonly compactAfterBytes: number;
  private readonly now: () => number;
  private fd: number;
  private sequence: number;
  /** The journal sequence the snapshot holds, -1 without a snapshot. */
  private snapshotCovers: number;
  private snapshotBytes: number;
  /** Bytes of the journal on disk, all of them acknowledged commits. */
  private size: number;
  private failure: { code: string; retryAt: number } | undefined;
  private compactionRetryAt = 0;

  private constructor(path: string, options: JournalOptions, state: JournalState) {
    this.path = path;
    this.snapshotPath = snapshotPathOf(path);
    this.fs = options.fs ?? defaultStorageFs;
    this.retryAfterMs = options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
    this.compactAfterBytes = options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
    this.now = options.now ?? Date.now;
    this.fd = state.fd;
    this.sequence = state.sequence;
    this.snapshotCovers = state.snapshotCovers;
    this.snapshotBytes = state.snapshotBytes;
    this.size = state.size;
  }

  /**
   * Opens (or creates) the journal at `path`, handing every commit of the snapshot and then of the
   * journal to `onCommit`, in order. Returns the journal and warnings for the operator.
   */
  static async open(
    path: string,
    options: JournalOptions,
    onCommit: (entries: JournalEntry[]) => Promise<void>,
  ): Promise<{ journal: Journal; warnings: string[] }> {
    const fs = options.fs ?? defaultStorageFs;
    const snapshotPath = snapshotPathOf(path);
    makePrivate(fs, dirname(path), [path, snapshotPath]);
    removeIfPresent(fs, `${path}.tmp`);
    removeIfPresent(fs, `${snapshotPath}.tmp`);
    const warnings: string[] = [];
    const snapshot = fs.existsSync(snapshotPath) ? await readSnapshot(fs, snapshotPath, onCommit) : { covers: -1, bytes: 0 };
    const fresh = (): { fd: number; size: number } => replaceFile(fs, path, [journalHeader(snapshot.covers + 1)]);

    let state: JournalState;
    if (!fs.existsSync(path)) {
      state = { ...fresh(), sequence: snapshot.covers + 1, snapshotCovers: snapshot.covers, snapshotBytes: snapshot.bytes };
    } else {
      const fd = fs.openSync(path, 'a+', PRIVATE_FILE_MODE);
      try {
        const read = await readJournal(fs, fd, path, snapshot.covers, onCommit);
        if (read.superseded) {
          warnings.push(`journal ${path}: sequence ${read.sequence} is already in the snapshot (compaction was interrupted); started sequence ${snapshot.covers + 1}`);
          fs.closeSync(fd);
          state = { ...fresh(), sequence: snapshot.covers + 1, snapshotCovers: snapshot.covers, snapshotBytes: snapshot.bytes };
        } else {
          if (read.cutAt !== undefined) {
            warnings.push(`journal ${path}: incomplete last commit (${read.size - read.cutAt} bytes at offset ${read.cutAt}) skipped and cut off`);
            fs.ftruncateSync(fd, read.cutAt);
            fs.fsyncSync(fd);
          }
          state = { fd, size: read.cutAt ?? read.size, sequence: read.sequence, snapshotCovers: snapshot.covers, snapshotBytes: snapshot.bytes };
        }
      } catch (err) {
        fs.closeSync(fd);
        throw err;
      }
    }
    return { journal: new Journal(path, options, state), warnings };
  }

  /** Appends one commit and returns once it is on disk; throws StorageUnavailableError if it is not. */
  commit(entries: readonly JournalEntry[]): void {
    if (entries.length === 0) return;
    const bytes = Buffer.from(JSON.stringify(entries) + '\n');
    if (this.failure && this.now() < this.failure.retryAt) throw this.unavailable(this.failure);
    try {
      if (this.failure) this.restoreLastGoodState();
      writeFully(this.fs, this.fd, bytes);
      this.fs.fsyncSync(this.fd);
    } catch (err) {
      this.fail(err);
    }
    this.size += bytes.length;
    this.failure = undefined;
  }

  /** Whether the journal has grown enough to be compacted (past the threshold and the snapshot's size). */
  compactionDue(): boolean {
    return !this.failure && this.now() >= this.compactionRetryAt && this.size >= Math.max(this.compactAfterBytes, this.snapshotBytes);
  }

  /**
   * Replaces the snapshot by `count` commits that rebuild the whole state (everything this journal
   * and the snapshot before it hold), then starts the next journal. On an error the old snapshot
   * and journal stay in use, and compaction is not tried again for `retryAfterMs`.
   */
  compact(commits: Iterable<JournalEntry[]>, count: number): void {
    const covers = this.sequence;
    try {
      const snapshot = replaceFile(this.fs, this.snapshotPath, snapshotLines(covers, commits, count));
      this.fs.closeSync(snapshot.fd);
      this.snapshotCovers = covers;
      this.snapshotBytes = snapshot.size;
    } catch (err) {
      this.compactionRetryAt = this.now() + this.retryAfterMs;
      throw err;
    }
    // The snapshot now holds this journal: appending to it would be lost at the next start.
    try {
      this.startNextJournal();
    } catch (err) {
      this.compactionRetryAt = this.now() + this.retryAfterMs;
      this.fail(err);
    }
  }

  close(): void {
    this.fs.closeSync(this.fd);
  }

  private startNextJournal(): void {
    const next = replaceFile(this.fs, this.path, [journalHeader(this.snapshotCovers + 1)]);
    const previous = this.fd;
    this.fd = next.fd;
    this.size = next.size;
    this.sequence = this.snapshotCovers + 1;
    this.failure = undefined;
    try {
      this.fs.closeSync(previous);
    } catch {
      // Its file is already replaced; nothing depends on closing it cleanly.
    }
  }

  private restoreLastGoodState(): void {
    if (this.snapshotCovers >= this.sequence) {
      this.startNextJournal();
      return;
    }
    this.fs.ftruncateSync(this.fd, this.size);
    this.fs.fsyncSync(this.fd);
  }

  /** Cuts off what a failed write left (if the disk lets us), refuses commits for a while, and throws. */
  private fail(err: unknown): never {
    const failure = { code: errnoCode(err), retryAt: this.now() + this.retryAfterMs };
    this.failure = failure;
    if (this.snapshotCovers < this.sequence) {
      try {
        this.fs.ftruncateSync(this.fd, this.size);
        this.fs.fsyncSync(this.fd);
      } catch {
        // The next attempt truncates before it appends.
      }
    }
    throw this.unavailable(failure);
  }

  private unavailable(failure: { code: string; retryAt: number }): StorageUnavailableError {
    return new StorageUnavailableError(failure.code, Math.max(1, Math.ceil((failure.retryAt - this.now()) / 1000)));
  }
}

interface JournalState {
  fd: number;
  size: number;
  sequence: number;
  snapshotCovers: number;
  snapshotBytes: number;
}

function snapshotPathOf(path: string): string {
  return join(dirname(path), `${basename(path).replace(/\.ndjson$/, '')}.snapshot.ndjson`);
}

const journalHeader = (sequence: number): string => JSON.stringify({ journal: { sequence } });

function* snapshotLines(covers: number, commits: Iterable<JournalEntry[]>, count: number): Iterable<string> {
  yield JSON.stringify({ snapshot: { covers, records: count } });
  for (const commit of commits) yield JSON.stringify(commit);
}

async function readSnapshot(
  fs: StorageFs,
  path: string,
  onCommit: (entries: JournalEntry[]) => Promise<void>,
): Promise<{ covers: number; bytes: number }> {
  const fd = fs.openSync(path, 'r');
  try {
    let header: { covers: number; records: number } | undefined;
    let records = 0;
    const { recordsEnd, size } = await readRecords(fs, fd, async (record, offset) => {
      if (!header) {
        header = parseHeader(record, 'snapshot');
        if (!header) throw corrupt(path, offset, 'is not a snapshot header');
        return;
      }
      const entries = parseCommit(record);
      if (!entries) throw corrupt(path, offset, 'is not a valid commit');
      records += 1;
      await onCommit(entries);
    });
    if (recordsEnd !== size) throw corrupt(path, recordsEnd, 'is an incomplete record');
    if (!header || records !== header.records) {
      throw new Error(`snapshot ${path}: ${records} records where its header promises ${header?.records ?? 'a header and some'}; start-up stopped`);
    }
    return { covers: header.covers, bytes: size };
  } finally {
    fs.closeSync(fd);
  }
}

async function readJournal(
  fs: StorageFs,
  fd: number,
  path: string,
  snapshotCovers: number,
  onCommit: (entries: JournalEntry[]) => Promise<void>,
): Promise<{ sequence: number; superseded: boolean; size: number; cutAt?: number }> {
  let sequence: number | undefined;
  let superseded = false;
  let invalidAt: number | undefined;
  const checkSequence = (): void => {
    if ((sequence as number) <= snapshotCovers) superseded = true;
    else if (sequence !== snapshotCovers + 1) {
      throw new Error(
        `journal ${path}: sequence ${sequence} follows a snapshot of sequence ${snapshotCovers} (${snapshotPathOf(path)}): the commits in between are missing; start-up stopped`,
      );
    }
  };
  const { recordsEnd, size } = await readRecords(fs, fd, async (record, offset) => {
    if (invalidAt !== undefined) throw corrupt(path, invalidAt, 'is not a valid commit');
    if (sequence === undefined) {
      const header = parseHeader(record, 'journal');
      sequence = header?.sequence ?? 0;
      checkSequence();
      if (header) return;
    }
    if (superseded) return;
    const entries = parseCommit(record);
    if (entries) await onCommit(entries);
    else invalidAt = offset;
  });
  if (sequence === undefined) {
    sequence = 0;
    checkSequence();
  }
  // Only the last record may be invalid: a write torn by a crash (never acknowledged).
  if (invalidAt !== undefined && recordsEnd < size) throw corrupt(path, invalidAt, 'is not a valid commit');
  const cutAt = invalidAt ?? (recordsEnd < size ? recordsEnd : undefined);
  return { sequence, superseded, size, ...(cutAt === undefined || superseded ? {} : { cutAt }) };
}

function corrupt(path: string, offset: number, what: string): Error {
  return new Error(`${path}: the record at byte offset ${offset} ${what}; start-up stopped so that nothing after it is lost (repair the file or move it aside)`);
}

function parseHeader<K extends 'journal' | 'snapshot'>(
  record: string,
  kind: K,
): (K extends 'journal' ? { sequence: number } : { covers: number; records: number }) | undefined {
  if (!record.startsWith('{')) return undefined;
  try {
    const value = (JSON.parse(record) as Record<string, unknown>)[kind] as Record<string, unknown> | undefined;
    const fields = kind === 'journal' ? ['sequence'] : ['covers', 'records'];
    if (!value || !fields.every((field) => Number.isSafeInteger(value[field]))) return undefined;
    return value as never;
  } catch {
    return undefined;
  }
}

function parseCommit(line: string): JournalEntry[] | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return Array.isArray(parsed) && parsed.length > 0 && parsed.every(isEntry) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isEntry(value: unknown): value is JournalEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  if (entry.op === 'put') return typeof entry.resource === 'object' && entry.resource !== null;
  return (entry.op === 'delete' || entry.op === 'expunge') && typeof entry.resourceType === 'string' && typeof entry.id === 'string';
}
