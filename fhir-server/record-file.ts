/**
 * Files of newline-terminated records (the journal and its snapshot): the file-system calls they
 * make (one seam, so tests can make the disk fail or write short), complete writes, crash-safe
 * replacement, private modes, and reading record by record in chunks of a fixed size.
 */
import * as nodeFs from 'node:fs';
import { dirname } from 'node:path';

/** The synchronous `node:fs` calls the journal makes; `node:fs` itself by default. */
export interface StorageFs {
  openSync(path: string, flags: string, mode?: number): number;
  closeSync(fd: number): void;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  /** Appends (every journal descriptor is opened in append mode); may write fewer bytes than asked. */
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, length: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  existsSync(path: string): boolean;
  mkdirSync(path: string, options: { recursive: true; mode: number }): unknown;
  chmodSync(path: string, mode: number): void;
}

export const defaultStorageFs: StorageFs = nodeFs;

/** Every client's record is in these files: readable by the server's own user only. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

const READ_CHUNK_BYTES = 1 << 20;

/** Creates `dir` if needed and makes it (and any file already at `paths`) private, whatever its mode was. */
export function makePrivate(fs: StorageFs, dir: string, paths: readonly string[]): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
  for (const path of paths) if (fs.existsSync(path)) fs.chmodSync(path, PRIVATE_FILE_MODE);
}

/** Writes all of `bytes` at the end of the file, however many calls the operating system needs. */
export function writeFully(fs: StorageFs, fd: number, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) {
    const count = fs.writeSync(fd, bytes, written, bytes.length - written);
    if (count <= 0) throw Object.assign(new Error(`write made no progress (${count})`), { code: 'EIO' });
    written += count;
  }
}

export function fsyncDir(fs: StorageFs, dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function removeIfPresent(fs: StorageFs, path: string): void {
  if (fs.existsSync(path)) fs.unlinkSync(path);
}

/**
 * Replaces the file at `path` by `records` (one line each) so that a crash leaves either the old
 * file or the whole new one: written to `<path>.tmp`, fsynced, renamed over `path`, the folder
 * fsynced. Returns the new file's descriptor (read and append) and its size; the caller closes it.
 */
export function replaceFile(fs: StorageFs, path: string, records: Iterable<string>): { fd: number; size: number } {
  const temporary = `${path}.tmp`;
  removeIfPresent(fs, temporary);
  const fd = fs.openSync(temporary, 'ax+', PRIVATE_FILE_MODE);
  try {
    let size = 0;
    let batch: string[] = [];
    let batchBytes = 0;
    const flush = (): void => {
      const bytes = Buffer.from(batch.join(''));
      writeFully(fs, fd, bytes);
      size += bytes.length;
      batch = [];
      batchBytes = 0;
    };
    for (const record of records) {
      batch.push(record, '\n');
      batchBytes += record.length + 1;
      if (batchBytes >= READ_CHUNK_BYTES) flush();
    }
    flush();
    fs.fsyncSync(fd);
    fs.renameSync(temporary, path);
    fsyncDir(fs, dirname(path));
    return { fd, size };
  } catch (err) {
    fs.closeSync(fd);
    try {
      removeIfPresent(fs, temporary);
    } catch {
      // The temporary file is removed at the next open.
    }
    throw err;
  }
}

/**
 * Reads the file behind `fd` from the start, chunk by chunk, handing each newline-terminated record
 * to `onRecord` with its byte offset. Returns where the last complete record ends and the size read:
 * bytes after the last newline are a torn record.
 */
export async function readRecords(
  fs: StorageFs,
  fd: number,
  onRecord: (record: string, offset: number) => Promise<void> | void,
): Promise<{ recordsEnd: number; size: number }> {
  const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  let position = 0;
  let recordStart = 0;
  let pending: Buffer[] = [];
  for (;;) {
    const count = fs.readSync(fd, chunk, 0, chunk.length, position);
    if (count === 0) break;
    const data = chunk.subarray(0, count);
    let start = 0;
    for (let newline = data.indexOf(0x0a); newline !== -1; newline = data.indexOf(0x0a, start)) {
      const piece = data.subarray(start, newline);
      const record = pending.length > 0 ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      await onRecord(record.toString('utf8'), recordStart);
      start = newline + 1;
      recordStart = position + start;
    }
    if (start < count) pending.push(Buffer.from(data.subarray(start)));
    position += count;
  }
  return { recordsEnd: recordStart, size: position };
}
