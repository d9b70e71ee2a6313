import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { codecKeyring, isLoopbackHost, loadOrCreateLocalKeys, parseCodecKeys } from './codec-keys.ts';
import { parseConfig } from './config.ts';
import { resolveCodecKeys } from './data-converter.ts';

const secret = randomBytes(32).toString('base64');
const other = randomBytes(32).toString('base64');

describe('codec keys', () => {
  test('CODEC_KEYS: every key is kept for decryption; without CODEC_ENCRYPT_KEY the first encrypts', () => {
    const keys = parseCodecKeys(`2026-02:${secret}, 2025-11:${other}`);
    expect(keys.map(({ id }) => id)).toEqual(['2026-02', '2025-11']);
    expect(keys[0]?.key.toString('base64')).toBe(secret);
    const keyring = resolveCodecKeys(parseConfig({ CODEC_KEYS: `2026-02:${secret}, 2025-11:${other}` }));
    expect(keyring.encryptKeyId).toBe('2026-02');
    expect(keyring.keys.map(({ id }) => id)).toEqual(['2026-02', '2025-11']);
  });

  test('CODEC_ENCRYPT_KEY names the encrypting key among CODEC_KEYS; any other id stops start-up', () => {
    const keyring = resolveCodecKeys(parseConfig({ CODEC_KEYS: `old:${secret},new:${other}`, CODEC_ENCRYPT_KEY: 'new' }));
    expect(keyring.encryptKeyId).toBe('new');
    expect(keyring.keys.map(({ id }) => id)).toEqual(['old', 'new']);
    expect(() => parseConfig({ CODEC_KEYS: `old:${secret}`, CODEC_ENCRYPT_KEY: 'new' })).toThrow(
      /^configuration error: CODEC_ENCRYPT_KEY: "new" is not among the key ids of CODEC_KEYS \(old\): add the key to CODEC_KEYS of every process and restart them all first \(got "new"\)$/,
    );
    expect(() => parseConfig({ CODEC_KEYS: `old:${secret}`, CODEC_ENCRYPT_KEY: 'not an id!' })).toThrow(/CODEC_ENCRYPT_KEY: must be a key id of CODEC_KEYS/);
    // The local stack's key file is checked the same way.
    const localKeyFile = join(mkdtempSync(join(tmpdir(), 'codec-keys-')), 'codec-keys');
    expect(() => resolveCodecKeys(parseConfig({ CODEC_LOCAL_KEY_FILE: localKeyFile, CODEC_ENCRYPT_KEY: 'elsewhere' }))).toThrow(
      /^configuration error: CODEC_ENCRYPT_KEY: "elsewhere" is not among the key ids/,
    );
    expect(codecKeyring(parseCodecKeys(`a:${secret}`)).encryptKeyId).toBe('a');
  });

  test('bad CODEC_KEYS stop start-up with one line that never shows a key', () => {
    const cases: [string, RegExp][] = [
      [secret, /CODEC_KEYS: entry 1 must be <id>:<base64 key>/],
      [`k1:${randomBytes(16).toString('base64')}`, /CODEC_KEYS: key "k1" must be 32 bytes in base64/],
      [`k1:${secret}!`, /CODEC_KEYS: key "k1" must be 32 bytes in base64/],
      [`k1:${secret},k1:${other}`, /CODEC_KEYS: key id "k1" appears twice/],
    ];
    for (const [value, expected] of cases) {
      let message = '';
      try {
        parseConfig({ CODEC_KEYS: value });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(expected);
      expect(message).not.toContain(secret.slice(0, 12));
      expect(message.split('\n')).toHaveLength(1);
    }
  });

  test('the local stack generates one key on first use (mode 0600) and keeps using it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'codec-keys-')), 'nested', 'codec-keys');
    const first = loadOrCreateLocalKeys(file);
    expect(first).toHaveLength(1);
    expect(first[0]?.key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadOrCreateLocalKeys(file);
    expect(again[0]?.key.equals(first[0]?.key as Buffer)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/^local-\d{4}-\d{2}-\d{2}:[A-Za-z0-9+/=]{44}\n$/);
  });

  test('without CODEC_KEYS, only a Temporal server on this machine without TLS may use the generated key', () => {
    const localKeyFile = join(mkdtempSync(join(tmpdir(), 'codec-keys-')), 'codec-keys');
    expect(resolveCodecKeys(parseConfig({ CODEC_LOCAL_KEY_FILE: localKeyFile })).keys).toHaveLength(1);
    const refused = [
      { TEMPORAL_ADDRESS: 'temporal:7233' },
      { TEMPORAL_ADDRESS: '10.0.0.5:7233' },
      { TEMPORAL_ADDRESS: 'my-ns.a1b2c.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key' },
      { TEMPORAL_ADDRESS: '127.0.0.1:7233', TEMPORAL_TLS: 'true' },
    ];
    for (const env of refused) {
      expect(() => resolveCodecKeys(parseConfig({ ...env, CODEC_LOCAL_KEY_FILE: localKeyFile }))).toThrow(
        'configuration error: CODEC_KEYS: is required when Temporal is not on this machine',
      );
    }
    const configured = resolveCodecKeys(parseConfig({ TEMPORAL_ADDRESS: 'temporal:7233', CODEC_KEYS: `prod-1:${secret}` }));
    expect(configured).toMatchObject({ encryptKeyId: 'prod-1', keys: [{ id: 'prod-1' }] });
  });

  test('loopback host names', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '10.0.0.5', 'temporal', '::', 'localhost.example.org']) expect(isLoopbackHost(host)).toBe(false);
  });

  test('CODEC_SERVER_ORIGINS must be origins', () => {
    expect(parseConfig({ CODEC_SERVER_ORIGINS: 'https://temporal-ui.example.org, http://127.0.0.1:8233/' }).codec.server.origins).toEqual([
      'https://temporal-ui.example.org',
      'http://127.0.0.1:8233',
    ]);
    expect(() => parseConfig({ CODEC_SERVER_ORIGINS: 'https://ui.example.org/namespaces' })).toThrow(/CODEC_SERVER_ORIGINS: .* is not an origin/);
  });
});
