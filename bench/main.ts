/**
 * `npm run bench [-- --quick]`: every figure next to its floor from the same run; prints a table and
 * writes bench/results/bench-<time>.json. See BENCHMARKS.md.
 */
import { freePort } from '../local-stack/dev-server.ts';
import { figure, printTable, writeResults, type Figure } from './figures.ts';
import { measureCatchUp } from './scenarios/catch-up.ts';
import { measureEventLatency } from './scenarios/event-latency.ts';
import { measureHistoryPerYear } from './scenarios/history-per-year.ts';
import { measureIdleCost } from './scenarios/idle-cost.ts';
import { measureStartThroughput, type StartContext } from './scenarios/start-throughput.ts';
import { startNoopWorkerProcess } from './stack/care-processes.ts';
import { startDevStack } from './stack/dev-stack.ts';
import { startTimeSkippingStack } from './stack/time-skipping-stack.ts';

const quick = process.argv.includes('--quick');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const sizes = quick
  ? { small: 100, large: 1000, rate: 20, seconds: 10, years: 1, catchUp: 100 }
  : { small: 1000, large: 10_000, rate: 20, seconds: 60, years: 3, catchUp: 1000 };
const wanted = (part: string) => !only || only.includes(part);
const figures: Figure[] = [];
const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

async function devServerFigures(): Promise<void> {
  const stack = await startDevStack();
  const [careMetricsPort, noopMetricsPort] = [await freePort(), await freePort()];
  const worker = await stack.startWorker('bench-care', { metricsPort: careMetricsPort });
  const noopWorker = await startNoopWorkerProcess({
    temporalAddress: stack.temporalAddress,
    fhirBaseUrl: stack.fhir.baseUrl,
    taskQueue: 'bench-noop',
    codecKeys: stack.codec.codecKeys,
    metricsPort: noopMetricsPort,
  });
  const context: StartContext = {
    stack,
    careQueue: 'bench-care',
    careMetrics: `http://127.0.0.1:${careMetricsPort}/metrics`,
    noopQueue: 'bench-noop',
    noopMetrics: `http://127.0.0.1:${noopMetricsPort}/metrics`,
  };
  try {
    log(`start throughput, ${sizes.small}`);
    figures.push(...(await measureStartThroughput(context, sizes.small, 's')));
    const dbBefore = stack.temporalDbBytes();
    log(`start throughput, ${sizes.large}`);
    figures.push(...(await measureStartThroughput(context, sizes.large, 'l')));
    const open = sizes.small + sizes.large;
    log(`idle cost, ${open} open`);
    figures.push(...(await measureIdleCost(stack, worker, open, dbBefore)));
    if (wanted('latency')) {
      log(`event latency, ${sizes.rate}/s for ${sizes.seconds} s`);
      const episodeIds = Array.from({ length: sizes.large }, (_, index) => `l-${index}`);
      const noopIds = Array.from({ length: sizes.small }, (_, index) => `noop-s-${index}`);
      figures.push(...(await measureEventLatency({ stack, episodeIds, noopIds }, sizes.rate, sizes.seconds)));
      figures.push(figure(`worker RSS after the event run`, worker.rssBytes() / 1024 / 1024, 'MiB'));
    }
  } finally {
    await worker.stop();
    await noopWorker.stop();
    await stack.stop();
  }
}

async function timeSkippingFigures(): Promise<void> {
  const stack = await startTimeSkippingStack();
  try {
    if (wanted('history')) {
      log(`history per episode-year, ${sizes.years} y`);
      const worker = await stack.startWorker('bench-history');
      figures.push(...(await measureHistoryPerYear(stack, 'bench-history', sizes.years)));
      await worker.stop();
    }
    if (wanted('catchup')) {
      log(`catch-up, ${sizes.catchUp} episodes`);
      figures.push(...(await measureCatchUp(stack, 'bench-catch-up', sizes.catchUp)));
    }
  } finally {
    await stack.stop();
  }
}

const begun = Date.now();
if (wanted('starts') || wanted('latency')) await devServerFigures();
if (wanted('history') || wanted('catchup')) await timeSkippingFigures();
printTable(figures);
const file = writeResults(figures, { quick, sizes, durationSeconds: Math.round((Date.now() - begun) / 1000) });
console.log(`\nwritten: ${file}`);
