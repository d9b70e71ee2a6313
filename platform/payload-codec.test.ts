import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Payload } from '@temporalio/common';
import { describe, expect, test } from 'vitest';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, ENCRYPTION_VERSION, METADATA_KEY_ID, METADATA_VERSION, PayloadDecryptionError } from './payload-codec.ts';
import type { CodecKey } from './payload-codec.ts';

const key = (id: string) => ({ id, key: randomBytes(32) });
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const MARKER = 'admitted-1987-03-14-phi-marker';
/** A codec holding `keys`, encrypting with `encrypting` (default: the first). */
const codecOf = (keys: CodecKey[], encrypting = keys[0]!.id) => new AesGcmPayloadCodec({ keys, encryptKeyId: encrypting });
const withMetadata = (payload: Payload, name: string, value: string | undefined): Payload => {
  const metadata = { ...payload.metadata };
  if (value === undefined) delete metadata[name];
  else metadata[name] = Buffer.from(value);
  return { ...payload, metadata };
};

/** Written by the version-1 codec (no additional data) under the key of 32 bytes 0x07, id `v1-key`. */
const VERSION_1 = {
  key: { id: 'v1-key', key: Buffer.alloc(32, 7) },
  payload: {
    metadata: { encoding: Buffer.from('YmluYXJ5L2VuY3J5cHRlZA==', 'base64'), [METADATA_KEY_ID]: Buffer.from('djEta2V5', 'base64') },
    data: Buffer.from('pBMZNJnsbO3WUEiYfQm/rl453LneZCFN4rvvja8OJyxykn0rUv8N74po1gTGPAVd/98LDlFnY3pgSTRbWM3CNjc7b+V5lGnsSSnWbpeXM0oejfZVmwn2UaGuc7/Bdoo=', 'base64'),
  } satisfies Payload,
};

describe('AES-256-GCM payload codec', () => {
  const [k1, k2] = [key('k1'), key('k2')];
  const plain = defaultPayloadConverter.toPayload({ note: MARKER, admissionDate: '1987-03-14' });

  test('encrypts with the encrypting key in version 2, names key and version in the metadata, and decrypts back to the same payload', async () => {
    const codec = codecOf([k1, k2]);
    const [sealed] = (await codec.encode([plain])) as [Payload];
    expect(text(sealed.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(sealed.metadata?.[METADATA_KEY_ID])).toBe('k1');
    expect(text(sealed.metadata?.[METADATA_VERSION])).toBe(ENCRYPTION_VERSION);
    expect(Buffer.from(sealed.data as Uint8Array).includes(MARKER)).toBe(false);
    expect(Object.keys(sealed.metadata ?? {}).sort()).toEqual(['encoding', METADATA_KEY_ID, METADATA_VERSION].sort());
    const [opened] = await codec.decode([sealed]);
    expect(defaultPayloadConverter.fromPayload(opened as Payload)).toEqual({ note: MARKER, admissionDate: '1987-03-14' });
    expect(text(opened?.metadata?.encoding)).toBe('json/plain');
  });

  test('a fresh IV every time: the same value never encrypts to the same bytes', async () => {
    const codec = codecOf([k1]);
    const [a, b] = (await codec.encode([plain, plain])) as [Payload, Payload];
    expect(Buffer.from(a.data as Uint8Array).equals(Buffer.from(b.data as Uint8Array))).toBe(false);
  });

  test('payloads of the version-1 format (no additional data) still decrypt', async () => {
    const [opened] = await codecOf([k1, VERSION_1.key], 'k1').decode([VERSION_1.payload]);
    expect(defaultPayloadConverter.fromPayload(opened as Payload)).toEqual({ note: 'written by the version-1 codec' });
  });

  test('rotation: a key that only decrypts reads what the encrypting key wrote before, and the other way round', async () => {
    const [old] = (await codecOf([k1]).encode([plain])) as [Payload];
    const rotated = codecOf([k1, k2], 'k2');
    const [fresh] = (await rotated.encode([plain])) as [Payload];
    expect(text(fresh.metadata?.[METADATA_KEY_ID])).toBe('k2');
    const opened = await rotated.decode([old, fresh]);
    expect(opened.map((payload) => defaultPayloadConverter.fromPayload(payload))).toEqual([
      { note: MARKER, admissionDate: '1987-03-14' },
      { note: MARKER, admissionDate: '1987-03-14' },
    ]);
    // A process of step 1 (k2 added, k1 still encrypting) reads the new key's payloads.
    expect(await codecOf([k1, k2], 'k1').decode([fresh])).toHaveLength(1);
  });

  test('an unknown key id fails with a clear error that names the id only', async () => {
    const [sealed] = (await codecOf([k2]).encode([plain])) as [Payload];
    const attempt = codecOf([k1]).decode([sealed]);
    await expect(attempt).rejects.toThrow(PayloadDecryptionError);
    await expect(attempt).rejects.toThrow('encrypted payload uses key id "k2", which is not among the configured CODEC_KEYS');
  });

  test('a tampered payload fails authentication, and the error carries no contents', async () => {
    const codec = codecOf([k1]);
    const [sealed] = (await codec.encode([plain])) as [Payload];
    for (const position of [0, 20, (sealed.data as Uint8Array).length - 1]) {
      const data = Buffer.from(sealed.data as Uint8Array);
      data[position] = (data[position] as number) ^ 0x01;
      const error = await codec.decode([{ ...sealed, data }]).catch((caught: unknown) => caught as Error);
      expect(error).toBeInstanceOf(PayloadDecryptionError);
      expect((error as Error).message).toBe('encrypted payload (key id "k1") failed authentication: it was altered or corrupted');
    }
    const truncated = codec.decode([{ ...sealed, data: Buffer.alloc(10) }]);
    await expect(truncated).rejects.toThrow(/failed authentication/);
  });

  test('version 2 binds the key id: relabelled to another id of the same key material, it does not decrypt', async () => {
    // Same bytes under two ids, so that only the additional data can tell the labels apart.
    const material = randomBytes(32);
    const codec = codecOf([{ id: 'a', key: material }, { id: 'b', key: material }], 'a');
    const [sealed] = (await codec.encode([plain])) as [Payload];
    const error = await codec.decode([withMetadata(sealed, METADATA_KEY_ID, 'b')]).catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(PayloadDecryptionError);
    expect((error as Error).message).toBe('encrypted payload (key id "b") failed authentication: it was altered or corrupted');
    expect((error as Error).message).not.toContain(MARKER);
  });

  test('version 2 binds the version: a payload passed off as version 1, or as an unknown version, does not decrypt', async () => {
    const codec = codecOf([k1]);
    const [sealed] = (await codec.encode([plain])) as [Payload];
    await expect(codec.decode([withMetadata(sealed, METADATA_VERSION, undefined)])).rejects.toThrow(
      'encrypted payload (key id "k1") failed authentication: it was altered or corrupted',
    );
    await expect(codec.decode([withMetadata(sealed, METADATA_VERSION, '3')])).rejects.toThrow(
      'encrypted payload (key id "k1") has an encryption-version this codec does not know',
    );
    // Version 1 was not bound: its payload relabelled to another id of the same material still decrypts, which version 2 stops.
    const v1 = VERSION_1.key;
    const [opened] = await codecOf([v1, { id: 'alias', key: v1.key }]).decode([withMetadata(VERSION_1.payload, METADATA_KEY_ID, 'alias')]);
    expect(defaultPayloadConverter.fromPayload(opened as Payload)).toEqual({ note: 'written by the version-1 codec' });
  });

  test('the same bytes under another key of the configuration do not decrypt either', async () => {
    const codec = codecOf([k1, k2]);
    const [sealed] = (await codec.encode([plain])) as [Payload];
    await expect(codec.decode([withMetadata(sealed, METADATA_KEY_ID, 'k2')])).rejects.toThrow(/key id "k2"\) failed authentication/);
  });

  test('payloads written before encryption was turned on pass through decode unchanged', async () => {
    const [opened] = await codecOf([k1]).decode([plain]);
    expect(opened).toBe(plain);
  });

  test('refuses keys that are not 32 bytes, no keys, and an encrypting key it does not hold', () => {
    expect(() => codecOf([{ id: 'short', key: randomBytes(16) }])).toThrow('key "short" must be 32 bytes');
    expect(() => new AesGcmPayloadCodec({ keys: [], encryptKeyId: 'k1' })).toThrow('at least one key');
    expect(() => codecOf([k1], 'k2')).toThrow('the encrypting key "k2" is not among the keys');
  });
});
