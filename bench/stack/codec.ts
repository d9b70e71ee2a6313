/** A throw-away payload key for one run, shared by the worker processes and the clients. */
import { randomBytes } from 'node:crypto';
import type { DataConverter } from '@temporalio/common';
import { codecKeyring, parseCodecKeys } from '../../platform/codec-keys.ts';
import { createDataConverter } from '../../platform/data-converter.ts';

export interface RunCodec {
  /** The `CODEC_KEYS` value for child processes. */
  codecKeys: string;
  dataConverter: DataConverter;
}

export function newRunCodec(): RunCodec {
  const codecKeys = `bench:${randomBytes(32).toString('base64')}`;
  return { codecKeys, dataConverter: createDataConverter(codecKeyring(parseCodecKeys(codecKeys))) };
}
