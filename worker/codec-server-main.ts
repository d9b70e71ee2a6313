/**
 * The codec server as its own process, for a Temporal Web UI outside the local stack:
 * `node worker/codec-server-main.ts`, configured like the worker (CODEC_KEYS, CODEC_ENCRYPT_KEY, CODEC_SERVER_BIND,
 * CODEC_SERVER_TOKEN, CODEC_SERVER_ORIGINS). Point the UI's codec endpoint at it
 * (`TEMPORAL_CODEC_ENDPOINT` of the ui-server image). `npm start` runs it in-process instead.
 */
import { startCodecServer } from './codec-server.ts';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { resolveCodecKeys } from '../platform/data-converter.ts';
import { AesGcmPayloadCodec } from '../platform/payload-codec.ts';

try {
  const config = loadConfig();
  const keys = resolveCodecKeys(config);
  const bind = config.codec.server.bind;
  const origins = config.codec.server.origins;
  if (!origins) throw new ConfigError('configuration error: CODEC_SERVER_ORIGINS: is required (the Web UI origin, e.g. https://temporal.example.org)');
  const server = await startCodecServer({
    codec: new AesGcmPayloadCodec(keys),
    host: bind.slice(0, bind.lastIndexOf(':')),
    port: Number(bind.slice(bind.lastIndexOf(':') + 1)),
    allowedOrigins: origins,
    token: config.codec.server.token,
  });
  console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', message: 'codec server listening', url: server.url, origins, encryptionKeyId: keys.encryptKeyId, decryptionKeyIds: keys.keys.map(({ id }) => id) }));
  const stop = (): void => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : (error as Error).message);
  process.exit(error instanceof ConfigError ? 78 : 1);
}
