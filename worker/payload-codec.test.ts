import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Payload } from '@temporalio/common';
import { describe, expect, test } from 'vitest';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, METADATA_KEY_ID, PayloadDecryptionError } from './payload-codec.ts';

const key = (id: string) => ({ id, key: randomBytes(32) });
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const MARKER = 'admitted-1987-03-14-phi-marker';

describe('AES-256-GCM payload codec', () => {
  const [k1, k2] = [key('k1'), key('k2')];
  const plain = defaultPayloadConverter.toPayload({ note: MARKER, admissionDate: '1987-03-14' });

  test('encrypts with the first key, names it in the metadata, and decrypts back to the same payload', async () => {
    const codec = new AesGcmPayloadCodec([k1, k2]);
    const [sealed] = (await codec.encode([plain])) as [Payload];
    expect(text(sealed.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(sealed.metadata?.[METADATA_KEY_ID])).toBe('k1');
    expect(Buffer.from(sealed.data as Uint8Array).includes(MARKER)).toBe(false);
    expect(Object.keys(sealed.metadata ?? {}).sort()).toEqual(['encoding', METADATA_KEY_ID].sort());
    const [opened] = await codec.decode([sealed]);
    expect(defaultPayloadConverter.fromPayload(opened as Payload)).toEqual({ note: MARKER, admissionDate: '1987-03-14' });
    expect(text(opened?.metadata?.encoding)).toBe('json/plain');
  });

  test('a fresh IV every time: the same value never encrypts to the same bytes', async () => {
    const codec = new AesGcmPayloadCodec([k1]);
    const [a, b] = (await codec.encode([plain, plain])) as [Payload, Payload];
    expect(Buffer.from(a.data as Uint8Array).equals(Buffer.from(b.data as Uint8Array))).toBe(false);
  });

  test('rotation: after a new key is put first, payloads of the old key still decrypt', async () => {
    const [old] = (await new AesGcmPayloadCodec([k1]).encode([plain])) as [Payload];
    const rotated = new AesGcmPayloadCodec([k2, k1]);
    const [fresh] = (await rotated.encode([plain])) as [Payload];
    expect(text(fresh.metadata?.[METADATA_KEY_ID])).toBe('k2');
    const opened = await rotated.decode([old, fresh]);
    expect(opened.map((payload) => defaultPayloadConverter.fromPayload(payload))).toEqual([
      { note: MARKER, admissionDate: '1987-03-14' },
      { note: MARKER, admissionDate: '1987-03-14' },
    ]);
  });

  test('an unknown key id fails with a clear error that names the id only', async () => {
    const [sealed] = (await new AesGcmPayloadCodec([k2]).encode([plain])) as [Payload];
    const attempt = new AesGcmPayloadCodec([k1]).decode([sealed]);
    await expect(attempt).rejects.toThrow(PayloadDecryptionError);
    await expect(attempt).rejects.toThrow('encrypted payload uses key id "k2", which is not among the configured CODEC_KEYS');
  });

  test('a tampered payload fails authentication, and the error carries no contents', async () => {
    const codec = new AesGcmPayloadCodec([k1]);
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

  test('the same bytes under another key of the configuration do not decrypt either', async () => {
    const codec = new AesGcmPayloadCodec([k1, k2]);
    const [sealed] = (await codec.encode([plain])) as [Payload];
    const relabelled = { ...sealed, metadata: { ...sealed.metadata, [METADATA_KEY_ID]: Buffer.from('k2') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(/key id "k2"\) failed authentication/);
  });

  test('payloads written before encryption was turned on pass through decode unchanged', async () => {
    const [opened] = await new AesGcmPayloadCodec([k1]).decode([plain]);
    expect(opened).toBe(plain);
  });

  test('refuses keys that are not 32 bytes', () => {
    expect(() => new AesGcmPayloadCodec([{ id: 'short', key: randomBytes(16) }])).toThrow('key "short" must be 32 bytes');
    expect(() => new AesGcmPayloadCodec([])).toThrow('at least one key');
  });
});
