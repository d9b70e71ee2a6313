/**
 * `npm run bench [-- --quick] [-- --only=starts,latency,catchup,history] [-- --small=N --large=N --rate=N]`: every figure next to its
 * floor from the same run; prints a table and writes bench/results/bench-<time>.json.
 * `BENCH_CPU_PROF=<dir>` runs the worker and FHIR server processes with `--cpu-prof` into <dir>.
 * See BENCHMARKS.md.
 */
import { freePort } from '../platform/free-port.ts';
import { figure, printTable, writeResults, type Figure } from './figures.ts';
import { measureCatchUp } from './scenarios/catch-up.ts';
import { measureEventLatency } from './scenarios/event-latency.ts';
import { measureHistoryPerYear } from './scenarios/history-per-year.ts';
import { measureIdleCost } from './scenarios/idle-cost.ts';
import { measureStartThroughput } from './scenarios/start-throughput.ts';
import { startNoopWorkerProcess } from './stack/care-processes.ts';
import { startDevStack } from './stack/dev-stack.ts';
import type { NodeProcess } from './stack/node-process.ts';
import { startTimeSkippingStack } from './stack/time-skipping-stack.ts';

const quick = process.argv.includes('--quick');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const sizeArg = (name: string) => Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1]) || undefined;
const defaults = quick ? { small: 100, large: 300, rate: 20, seconds: 10, years: 1 } : { small: 1000, large: 10_000, rate: 20, seconds: 60, years: 3 };
/** `--small=N --large=N --rate=N` override the two start sizes (the large one at 10,000 takes about an hour on 2 cores) and the event rate. */
const sizes = { ...defaults, small: sizeArg('small') ?? defaults.small, large: sizeArg('large') ?? defaults.large, rate: sizeArg('rate') ?? defaults.rate };
const wanted = (part: string) => !only || only.includes(part);
/** `BENCH_WORKER_NODE_ARGS="--max-old-space-size=384"`: Node options of both worker processes (the floor's too). */
const workerNodeArgs = process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const nodeArgs = [...workerNodeArgs, ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])];
const figures: Figure[] = [];
const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
const begun = Date.now();
const results = () => ({ quick, only, sizes, durationSeconds: Math.round((Date.now() - begun) / 1000) });
let file: string | undefined;
const record = (more: Figure[]): void => {
  figures.push(...more);
  file = writeResults(figures, results(), file); // kept up to date, so a crash leaves what was measured
  for (const f of more) log(`${f.name}: ${f.value.toFixed(1)} ${f.unit}${f.floor ? ` (floor ${f.floor.toFixed(1)}, ratio ${f.ratio?.toFixed(2)})` : ''}`);
};

/** Start throughput at two sizes, the idle cost of them all, event latency and catch-up on them. */
async function devServerFigures(): Promise<void> {
  const stack = await startDevStack();
  const [careMetricsPort, noopMetricsPort] = [await freePort(), await freePort()];
  const startCare = () => stack.startWorker('bench-care', { metricsPort: careMetricsPort, nodeArgs });
  const startNoop = () =>
    startNoopWorkerProcess({ temporalAddress: stack.temporalAddress, fhirBaseUrl: stack.fhir.baseUrl, taskQueue: 'bench-noop', codecKeys: stack.codec.codecKeys, metricsPort: noopMetricsPort, nodeArgs: workerNodeArgs });
  let worker: NodeProcess = await startCare();
  let noopWorker: NodeProcess = await startNoop();
  const context = {
    stack,
    careQueue: 'bench-care',
    careMetrics: `http://127.0.0.1:${careMetricsPort}/metrics`,
    noopQueue: 'bench-noop',
    noopMetrics: `http://127.0.0.1:${noopMetricsPort}/metrics`,
    async restartCareWorker(whileDown: () => Promise<void>) {
      await worker.stop();
      await whileDown();
      return (worker = await startCare());
    },
    async restartNoopWorker(whileDown: () => Promise<void>) {
      await noopWorker.stop();
      await whileDown();
      return (noopWorker = await startNoop());
    },
  };
  const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
  try {
    log(`start throughput, ${sizes.small}`);
    record(await measureStartThroughput(context, sizes.small, 's'));
    const dbBefore = stack.temporalDbBytes();
    if (wanted('starts')) {
      log(`start throughput, ${sizes.large}`);
      record(await measureStartThroughput(context, sizes.large, 'l'));
      const open = sizes.small + sizes.large;
      log(`idle cost, ${open} open`);
      record(await measureIdleCost(stack, worker, open, dbBefore));
    }
    if (wanted('latency')) {
      log(`event latency, ${sizes.rate}/s for ${sizes.seconds} s`);
      const latencyContext = { stack, episodeIds: ids('s', sizes.small), noopIds: ids('noop-s', sizes.small) };
      record(await measureEventLatency(latencyContext, sizes.rate, sizes.seconds));
      // Below the worker's capacity too, where queueing does not dominate.
      if (sizes.rate > 5) record(await measureEventLatency(latencyContext, 5, sizes.seconds));
      record([figure('worker RSS after the event run', worker.rssBytes() / 1024 / 1024, 'MiB')]);
    }
    if (wanted('catchup')) {
      log(`catch-up, ${sizes.small} episodes`);
      record(await measureCatchUp(context, ids('s', sizes.small), ids('noop-s', sizes.small)));
    }
  } finally {
    await worker.stop();
    await noopWorker.stop();
    await stack.stop();
  }
}

async function historyFigures(): Promise<void> {
  const stack = await startTimeSkippingStack();
  try {
    log(`history per episode-year, ${sizes.years} y`);
    const worker = await stack.startWorker('bench-history');
    record(await measureHistoryPerYear(stack, 'bench-history', sizes.years));
    await worker.stop();
  } finally {
    await stack.stop();
  }
}

try {
  if (wanted('starts') || wanted('latency') || wanted('catchup')) await devServerFigures();
  if (wanted('history')) await historyFigures();
} finally {
  // A failed part still leaves the figures of the others.
  printTable(figures);
  file = writeResults(figures, results(), file);
  console.log(`\nwritten: ${file}`);
}
