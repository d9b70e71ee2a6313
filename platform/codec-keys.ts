/**
 * Where the payload codec's keys come from, and which of them encrypts.
 * - `CODEC_KEYS=id1:base64key,id2:base64key`: every key that decrypts. `CODEC_ENCRYPT_KEY=<id>`
 *   names the one that encrypts (default: the first); an id not in `CODEC_KEYS` stops start-up.
 * - Unset, against a Temporal server on this machine (the local stack): one key generated on first
 *   use and kept in `CODEC_LOCAL_KEY_FILE`, so `npm start` works without setup.
 * - Unset, against any other Temporal server: refused (see `resolveCodecKeys` in data-converter.ts),
 *   since histories would hold PHI in clear.
 *
 * Rotation takes two rolling restarts, because during one the old and new processes run together
 * and every process must be able to read what any other writes:
 * 1. add the new key to `CODEC_KEYS` of every process (worker, intake, CLI, codec server), leaving
 *    the encrypting key as it is; restart them all;
 * 2. only then set `CODEC_ENCRYPT_KEY` to the new key; restart them all;
 * 3. keep the old key in `CODEC_KEYS` as long as any open or retained history holds payloads of it.
 * Switching the encrypting key in the same step as adding it makes old processes fail every
 * workflow task that reads a payload of the new key.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CodecKey, CodecKeyring } from './payload-codec.ts';

export const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Parses `id:base64key[,id:base64key…]`; the error names the bad entry by position, never the key. */
export function parseCodecKeys(text: string): CodecKey[] {
  const keys = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, index) => {
      const colon = entry.indexOf(':');
      const id = colon > 0 ? entry.slice(0, colon) : '';
      if (!KEY_ID.test(id)) throw new Error(`entry ${index + 1} must be <id>:<base64 key> with an id of letters, digits, . _ -`);
      const encoded = entry.slice(colon + 1);
      const key = Buffer.from(encoded, 'base64');
      if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')) {
        throw new Error(`key "${id}" must be 32 bytes in base64 (e.g. openssl rand -base64 32)`);
      }
      return { id, key };
    });
  if (!keys.length) throw new Error('no key given');
  const ids = keys.map(({ id }) => id);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated) throw new Error(`key id "${repeated}" appears twice`);
  return keys;
}

/** The keyring of these keys: `encryptKeyId` (default: the first key) must be one of them. */
export function codecKeyring(keys: readonly CodecKey[], encryptKeyId?: string): CodecKeyring {
  const ids = keys.map(({ id }) => id);
  const encrypting = encryptKeyId ?? ids[0];
  if (encrypting === undefined) throw new Error('no key given');
  if (!ids.includes(encrypting)) {
    throw new Error(`"${encrypting}" is not among the key ids of CODEC_KEYS (${ids.join(', ')}): add the key to CODEC_KEYS of every process and restart them all first`);
  }
  return { keys, encryptKeyId: encrypting };
}

/** Reads the local stack's key file, creating it (mode 0600) with a new random key the first time. */
export function loadOrCreateLocalKeys(file: string): CodecKey[] {
  try {
    return parseCodecKeys(readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`codec key file ${file}: ${(error as Error).message}`, { cause: error });
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  const id = `local-${new Date().toISOString().slice(0, 10)}`;
  try {
    // `wx`: when two processes of the stack race, the first key written wins and both use it.
    writeFileSync(file, `${id}:${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return parseCodecKeys(readFileSync(file, 'utf8'));
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}
