/**
 * The floor's worker process: what `worker/main.ts` does (configuration, payload encryption,
 * native connection) with only `bench/workflows/noop.ts` registered and no activities.
 */
import { NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import { loadConfig } from '../platform/config.ts';
import { createDataConverter, resolveCodecKeys } from '../platform/data-converter.ts';
import { pinWorkerTimeZone, workerSizing } from '../worker/worker.ts';

const config = loadConfig();
Runtime.install({
  telemetryOptions: {
    logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
    metrics: config.metricsBind ? { prometheus: { bindAddress: config.metricsBind } } : undefined,
  },
});
const connection = await NativeConnection.connect({ address: config.temporal.address });
pinWorkerTimeZone();
const worker = await Worker.create({
  connection,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  workflowsPath: new URL('./workflows/noop.ts', import.meta.url).pathname,
  dataConverter: createDataConverter(resolveCodecKeys(config)),
  ...workerSizing(config.worker),
});
console.log('noop worker started');
try {
  await worker.run();
} finally {
  await connection.close();
}
