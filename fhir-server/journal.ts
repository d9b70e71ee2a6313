/**
 * An append-only journal of accepted writes: one JSON line per commit, fsynced before the write is
 * acknowledged, replayed at start. A commit is one line, so a transaction is never half on disk.
 * A line torn by a crash (the tail) is reported, cut off and skipped; it was never acknowledged.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';

export type JournalEntry =
  | { op: 'put'; resource: Resource }
  | { op: 'delete'; resourceType: string; id: string }
  | { op: 'expunge'; resourceType: string; id: string };

export interface JournalReplay {
  commits: JournalEntry[][];
  /** Problems found while reading, for the operator; the journal stays usable. */
  warnings: string[];
}

export class Journal {
  readonly path: string;
  private readonly fd: number;

  private constructor(path: string, fd: number) {
    this.path = path;
    this.fd = fd;
  }

  /** Opens (or creates) the journal at `path` and returns it with every intact commit in order. */
  static open(path: string): { journal: Journal; replay: JournalReplay } {
    mkdirSync(dirname(path), { recursive: true });
    const replay = existsSync(path) ? readCommits(path) : { commits: [], warnings: [], validBytes: 0 };
    const fd = openSync(path, 'a+');
    if (replay.validBytes !== fileSize(path)) {
      ftruncateSync(fd, replay.validBytes);
      fsyncSync(fd);
    }
    return { journal: new Journal(path, fd), replay: { commits: replay.commits, warnings: replay.warnings } };
  }

  /** Appends one commit and waits until it is on disk. */
  commit(entries: JournalEntry[]): void {
    if (entries.length === 0) return;
    writeSync(this.fd, JSON.stringify(entries) + '\n');
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function fileSize(path: string): number {
  return statSync(path).size;
}

function readCommits(path: string): JournalReplay & { validBytes: number } {
  const bytes = readFileSync(path);
  const commits: JournalEntry[][] = [];
  const warnings: string[] = [];
  let offset = 0;
  let validBytes = 0;
  while (offset < bytes.length) {
    const newline = bytes.indexOf(0x0a, offset);
    const end = newline === -1 ? bytes.length : newline;
    const line = bytes.subarray(offset, end).toString('utf8');
    const lineNumber = commits.length + warnings.length + 1;
    const entries = parseCommit(line);
    if (newline === -1) {
      // No newline: the last write was torn before it was acknowledged.
      warnings.push(`journal ${path}: incomplete last commit (${end - offset} bytes at offset ${offset}) skipped and cut off`);
      break;
    }
    if (entries) {
      commits.push(entries);
    } else if (line.trim()) {
      warnings.push(`journal ${path}: line ${lineNumber} (offset ${offset}) is not a valid commit; skipped`);
    }
    offset = newline + 1;
    validBytes = offset;
  }
  return { commits, warnings, validBytes };
}

function parseCommit(line: string): JournalEntry[] | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return Array.isArray(parsed) && parsed.every(isEntry) ? parsed : undefined;
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
