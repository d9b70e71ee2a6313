/**
 * The one data converter of every Temporal client and worker of the project: the SDK's default
 * JSON conversion, failures whose message and stack trace are a payload (failure-converter.ts),
 * then AES-256-GCM encryption of every payload (see payload-codec.ts).
 * A `Client` that talks to our workflows without it would write PHI in clear and could not read
 * what the workflows write.
 */
import type { DataConverter } from '@temporalio/common';
import { codecKeyring, isLoopbackHost, loadOrCreateLocalKeys } from './codec-keys.ts';
import { ConfigError } from './config.ts';
import type { Config } from './config.ts';
import { AesGcmPayloadCodec } from './payload-codec.ts';
import type { CodecKeyring } from './payload-codec.ts';

/** The module the SDK loads the failure converter from; the workflow bundle is built with it too. */
export const FAILURE_CONVERTER_PATH = new URL('./failure-converter.ts', import.meta.url).pathname;

export function createDataConverter(keyring: CodecKeyring): DataConverter {
  return { failureConverterPath: FAILURE_CONVERTER_PATH, payloadCodecs: [new AesGcmPayloadCodec(keyring)] };
}

/**
 * The keyring of this process: `CODEC_KEYS`, else — only against a Temporal server on this machine
 * without TLS — the local stack's generated key; `CODEC_ENCRYPT_KEY` (default: the first) encrypts.
 * Anything else is refused with a ConfigError: we would rather not start than write PHI in clear
 * to a shared server.
 */
export function resolveCodecKeys(config: Pick<Config, 'temporal' | 'codec'>): CodecKeyring {
  const { encryptKeyId } = config.codec;
  if (config.codec.keys) return codecKeyring(config.codec.keys, encryptKeyId);
  const { address, apiKey, tls } = config.temporal;
  if (!isLoopbackHost(address.slice(0, address.lastIndexOf(':'))) || apiKey || tls) {
    throw new ConfigError(
      'configuration error: CODEC_KEYS: is required when Temporal is not on this machine (workflow histories hold PHI; see README)',
    );
  }
  try {
    return codecKeyring(loadOrCreateLocalKeys(config.codec.localKeyFile), encryptKeyId);
  } catch (error) {
    throw new ConfigError(`configuration error: CODEC_ENCRYPT_KEY: ${(error as Error).message}`);
  }
}
