/**
 * The worker process: `node worker/main.ts`. Configuration from the environment (see config.ts);
 * stops gracefully on SIGINT/SIGTERM, letting running activities finish.
 */
import { NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { createDataConverter, resolveCodecKeys } from '../platform/data-converter.ts';
import type { Config } from '../platform/config.ts';
import { createFhirClient } from '../platform/fhir-client.ts';
import { createJsonLogger } from '../platform/logger.ts';
import { temporalConnectionOptions } from '../platform/temporal-connection.ts';
import { createCareWorker } from './worker.ts';

async function main(): Promise<void> {
  let config: Config;
  let codecKeys: ReturnType<typeof resolveCodecKeys>;
  try {
    config = loadConfig();
    codecKeys = resolveCodecKeys(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createJsonLogger(config.logLevel.toUpperCase() as 'INFO');
  Runtime.install({
    logger,
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      metrics: config.metricsBind ? { prometheus: { bindAddress: config.metricsBind } } : undefined,
    },
  });

  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const worker = await createCareWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    fhir: createFhirClient(config.fhir),
    dataConverter: createDataConverter(codecKeys),
    tuning: config.worker,
  });
  logger.info('worker started', {
    taskQueue: config.temporal.taskQueue,
    namespace: config.temporal.namespace,
    temporalAddress: config.temporal.address,
    fhirBaseUrl: config.fhir.baseUrl,
    metrics: config.metricsBind ?? 'off',
    ...config.worker,
    encryptionKeyId: codecKeys.encryptKeyId,
    decryptionKeyIds: codecKeys.keys.map(({ id }) => id),
  });
  try {
    await worker.run(); // resolves after SIGINT/SIGTERM, once in-flight work has drained
  } finally {
    await connection.close();
  }
  logger.info('worker stopped');
}

await main();
