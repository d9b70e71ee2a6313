/**
 * AES-256-GCM payload codec: every payload the SDK sends to Temporal (workflow inputs, signals,
 * updates, query results, activity inputs and results, memo, user metadata, failures' message and
 * stack trace) leaves the process encrypted, so histories that hold dates about people are not
 * readable in the Temporal server.
 *
 * An encrypted payload is the original payload (protobuf-encoded) as `iv ‖ ciphertext ‖ tag`, with
 * `encoding: binary/encrypted`, the id of the key and `encryption-version: 2` in its metadata. The
 * version-2 tag also authenticates the encoding, the version and the key id (AES-GCM additional
 * data), so metadata cannot be swapped undetected. Payloads without a version are version 1 (no
 * additional data), as written before: they still decrypt, and are never written any more.
 * One key of the keyring encrypts; every key decrypts, which is how keys rotate (codec-keys.ts).
 * Search attributes are never passed to codecs.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';
export const METADATA_VERSION = 'encryption-version';
/** The format `encode` writes. */
export const ENCRYPTION_VERSION = '2';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = proto.temporal.api.common.v1.Payload;

export interface CodecKey {
  /** Short, non-secret name stored beside every payload, e.g. `2026-01`. */
  id: string;
  /** 32 random bytes. */
  key: Buffer;
}

/** The keys a process holds: all of them decrypt, the one named `encryptKeyId` encrypts. */
export interface CodecKeyring {
  keys: readonly CodecKey[];
  encryptKeyId: string;
}

/** Thrown for payloads that cannot be decrypted; the message names the key id, never contents. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

export class AesGcmPayloadCodec implements PayloadCodec {
  readonly encryptingKeyId: string;
  readonly #keys: Map<string, Buffer>;

  constructor({ keys, encryptKeyId }: CodecKeyring) {
    if (keys.length === 0) throw new Error('payload codec: at least one key is needed');
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new Error(`payload codec: key "${id}" must be 32 bytes (AES-256), not ${key.length}`);
    }
    this.#keys = new Map(keys.map(({ id, key }) => [id, key]));
    if (!this.#keys.has(encryptKeyId)) throw new Error(`payload codec: the encrypting key "${encryptKeyId}" is not among the keys`);
    this.encryptingKeyId = encryptKeyId;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.encryptingKeyId;
    const key = this.#keys.get(keyId) as Buffer;
    return payloads.map((payload) => ({
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
        [METADATA_KEY_ID]: Buffer.from(keyId),
        [METADATA_VERSION]: Buffer.from(ENCRYPTION_VERSION),
      },
      data: encrypt(ProtoPayload.encode(payload).finish(), key, additionalData(ENCRYPTION_VERSION, keyId)),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // Payloads written before encryption was turned on stay readable.
      if (textOf(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
      const keyId = textOf(payload.metadata?.[METADATA_KEY_ID]);
      if (!keyId) throw new PayloadDecryptionError('encrypted payload without an encryption key id');
      const key = this.#keys.get(keyId);
      if (!key) throw new PayloadDecryptionError(`encrypted payload uses key id "${keyId}", which is not among the configured CODEC_KEYS`);
      const version = textOf(payload.metadata?.[METADATA_VERSION]);
      if (version !== undefined && version !== ENCRYPTION_VERSION) {
        throw new PayloadDecryptionError(`encrypted payload (key id "${keyId}") has an encryption-version this codec does not know`);
      }
      let clear: Buffer;
      try {
        clear = decrypt(payload.data ?? new Uint8Array(), key, version === undefined ? undefined : additionalData(version, keyId));
      } catch {
        throw new PayloadDecryptionError(`encrypted payload (key id "${keyId}") failed authentication: it was altered or corrupted`);
      }
      return ProtoPayload.decode(clear);
    });
  }
}

/** What the tag of a version-2 payload binds the ciphertext to: its encoding, format version and key id. */
function additionalData(version: string, keyId: string): Buffer {
  return Buffer.from(`${ENCRYPTED_ENCODING}\n${version}\n${keyId}`, 'utf8');
}

function textOf(bytes: Uint8Array | null | undefined): string | undefined {
  return bytes ? Buffer.from(bytes).toString('utf8') : undefined;
}

function encrypt(clear: Uint8Array, key: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  return Buffer.concat([iv, cipher.update(clear), cipher.final(), cipher.getAuthTag()]);
}

/** `aad` undefined: a version-1 payload, sealed without additional data. */
function decrypt(sealed: Uint8Array, key: Buffer, aad: Buffer | undefined): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('too short');
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
}
