/**
 * A real file system that tests can make fail: `node:fs` for every call, except that writes can be
 * cut short, the disk can be full (a write takes what fits of its first bytes, then ENOSPC), and
 * any call can be made to throw once. Counts the writes that reach the disk.
 */
import * as nodeFs from 'node:fs';
import type { StorageFs } from './record-file.ts';

export interface TestStorage extends StorageFs {
  /** At most this many bytes per write call (a short write), or undefined. */
  maxBytesPerWrite: number | undefined;
  /** Writes fail with ENOSPC once this many bytes have been written since it was set, or undefined. */
  freeBytes: number | undefined;
  /** The next call of this name throws an error with this code. */
  failNext: Partial<Record<keyof StorageFs, string>>;
  writeCalls: number;
}

export function testStorage(): TestStorage {
  const storage: TestStorage = {
    ...nodeFs,
    maxBytesPerWrite: undefined,
    freeBytes: undefined,
    failNext: {},
    writeCalls: 0,
    writeSync(fd, buffer, offset, length) {
      storage.writeCalls += 1;
      failIfAsked('writeSync');
      let count = Math.min(length, storage.maxBytesPerWrite ?? length);
      if (storage.freeBytes !== undefined) {
        if (storage.freeBytes === 0) throw errno('ENOSPC');
        count = Math.min(count, storage.freeBytes);
        storage.freeBytes -= count;
      }
      return nodeFs.writeSync(fd, buffer, offset, count);
    },
    fsyncSync(fd) {
      failIfAsked('fsyncSync');
      nodeFs.fsyncSync(fd);
    },
    renameSync(from, to) {
      failIfAsked('renameSync');
      nodeFs.renameSync(from, to);
    },
    openSync(path, flags, mode) {
      failIfAsked('openSync');
      return nodeFs.openSync(path, flags, mode);
    },
  };
  function failIfAsked(call: keyof StorageFs): void {
    const code = storage.failNext[call];
    if (!code) return;
    delete storage.failNext[call];
    throw errno(code);
  }
  return storage;
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated by the test (this text must not reach a client)`), { code });
}
