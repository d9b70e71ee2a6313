/**
 * The intake process: `node intake/main.ts` (`npm run intake`). Serves the rest-hook endpoint and,
 * unless INTAKE_POLL_INTERVAL=off, makes sure the polling workflow of the source runs.
 * Stops on SIGINT/SIGTERM after the requests in flight.
 */
import { Client, Connection } from '@temporalio/client';
import type { MetricMeter } from '@temporalio/common';
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { ConfigError } from '../platform/config.ts';
import { createDataConverter, resolveCodecKeys } from '../platform/data-converter.ts';
import { createFhirClient } from '../platform/fhir-client.ts';
import { loadIntakeConfig, type IntakeConfig } from './intake-config.ts';
import { WATCHED_TYPES } from '../domain/fhir/change-mapping.ts';
import { startIntakeServer } from './http-server.ts';
import { requireEpisodeDefaultsOnFhir } from './require-episode-defaults.ts';
import { createProcessLog } from '../platform/logger.ts';
import { ensurePolling, requestPoll } from './polling.ts';
import { ensureReportSchedule, TIMELINESS_SCHEDULE_ID } from './timeliness-report-schedule.ts';
import { temporalConnectionOptions } from '../platform/temporal-connection.ts';
import { createJsonLogger } from '../platform/logger.ts';

async function main(): Promise<void> {
  let config: IntakeConfig;
  let codecKeys: ReturnType<typeof resolveCodecKeys>;
  let metricMeter: MetricMeter | undefined;
  try {
    config = loadIntakeConfig();
    codecKeys = resolveCodecKeys(config.base);
    metricMeter = config.metricsBind ? servePrometheusMetrics(config.metricsBind, config.base.logLevel) : undefined;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const log = createProcessLog(config.base.logLevel);
  const fhir = createFhirClient(config.base.fhir);
  try {
    if ((await requireEpisodeDefaultsOnFhir(fhir, config.episodeDefaults)) === 'unchecked') log.warn('FHIR server did not answer: INTAKE_SUPERVISOR and INTAKE_AGENCY unchecked');
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const connection = await Connection.connect(temporalConnectionOptions(config.base.temporal));
  // Events and episode inputs hold PHI: encrypted like everything the worker writes.
  const temporal = new Client({ connection, namespace: config.base.temporal.namespace, dataConverter: createDataConverter(codecKeys) });
  const taskQueue = config.base.temporal.taskQueue;
  const polling = config.pollIntervalMs !== undefined;
  if (config.pollIntervalMs !== undefined) {
    const workflowId = await ensurePolling(temporal, taskQueue, {
      source: config.source,
      resourceTypes: [...WATCHED_TYPES],
      intervalMs: config.pollIntervalMs,
      episodeDefaults: config.episodeDefaults,
    });
    log.info('polling', { workflowId, intervalMs: config.pollIntervalMs });
  }
  // The monthly timeliness report needs the agency it reports for (its reporter).
  const agency = config.reportAgency;
  if (agency) {
    const timeZone = config.episodeDefaults.policy.timeZone;
    const outcome = await ensureReportSchedule(temporal, { taskQueue, agency, timeZone });
    log.info('timeliness report schedule', { scheduleId: TIMELINESS_SCHEDULE_ID, outcome, agency, timeZone });
  } else {
    log.info('timeliness report schedule not set: neither REPORT_AGENCY nor INTAKE_AGENCY is set', { scheduleId: TIMELINESS_SCHEDULE_ID });
  }
  const server = await startIntakeServer({
    delivery: { temporal, fhir, taskQueue, defaults: config.episodeDefaults, log, metricMeter },
    secret: config.secret,
    host: config.bind.host,
    port: config.bind.port,
    maxBodyBytes: config.maxBodyBytes,
    pollNow: polling ? () => requestPoll(temporal, config.source) : undefined,
  });
  log.info('intake listening', { url: `${server.url}/notify/<channel>`, fhirBaseUrl: config.base.fhir.baseUrl, metrics: config.metricsBind ?? 'off' });
  const stop = async (): Promise<void> => {
    await server.stop();
    await connection.close();
    log.info('intake stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/** The Temporal runtime's Prometheus exporter, as the worker's: the intake's own counters on `bind`. */
function servePrometheusMetrics(bind: string, logLevel: string): MetricMeter {
  try {
    Runtime.install({
      logger: createJsonLogger(logLevel.toUpperCase() as 'INFO'),
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} }, metrics: { prometheus: { bindAddress: bind } } },
    });
  } catch (error) {
    throw new ConfigError(`configuration error: INTAKE_METRICS_BIND: cannot serve metrics on ${bind} (${(error as Error).message})`);
  }
  return Runtime.instance().metricMeter;
}

await main();
