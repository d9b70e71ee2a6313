/**
 * The project's processes as a deployment runs them: the worker (`worker/main.ts`), the embedded
 * FHIR server (`fhir-server/main.ts`) and, for floors, the no-op worker of `bench/`. Each is
 * configured only through its environment, as in production.
 */
import { freePort } from '../../platform/free-port.ts';
import { startNodeProcess, type NodeProcess } from './node-process.ts';

export interface WorkerProcessOptions {
  temporalAddress: string;
  fhirBaseUrl: string;
  taskQueue: string;
  codecKeys: string;
  /** Prometheus port; absent turns metrics off. */
  metricsPort?: number;
  nodeArgs?: string[];
  extraEnv?: Record<string, string>;
}

/** `WORKER_*` sizing variables of the bench's own environment reach both workers, e.g. `WORKER_WORKFLOW_THREADS=1 npm run bench`. */
const workerSizingEnv = () => Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[0].startsWith('WORKER_') && entry[1] !== undefined));

function workerEnv(options: WorkerProcessOptions): Record<string, string> {
  return {
    ...workerSizingEnv(),
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    FHIR_BASE_URL: options.fhirBaseUrl,
    CODEC_KEYS: options.codecKeys,
    METRICS_BIND: options.metricsPort ? `127.0.0.1:${options.metricsPort}` : 'off',
    LOG_LEVEL: 'warn',
    ...options.extraEnv,
  };
}

/** `node worker/main.ts`; ready once its Temporal worker polls. */
export function startWorkerProcess(options: WorkerProcessOptions): Promise<NodeProcess> {
  // At LOG_LEVEL=warn the "worker started" line is not printed; the SDK's state line is.
  return startNodeProcess({
    script: 'worker/main.ts',
    env: { ...workerEnv(options), LOG_LEVEL: 'info' },
    readyText: 'worker started',
    nodeArgs: options.nodeArgs,
  });
}

/** `node bench/noop-worker.ts`: the same connection and converter, a trivial workflow. */
export function startNoopWorkerProcess(options: WorkerProcessOptions): Promise<NodeProcess> {
  return startNodeProcess({ script: 'bench/noop-worker.ts', env: workerEnv(options), readyText: 'noop worker started', nodeArgs: options.nodeArgs });
}

export interface FhirProcess extends NodeProcess {
  baseUrl: string;
  port: number;
}

/** `node fhir-server/main.ts` on `port` (free if absent) over the journal in `dataDir`. */
export async function startFhirProcess(options: { dataDir: string; port?: number; nodeArgs?: string[] }): Promise<FhirProcess> {
  const port = options.port ?? (await freePort());
  const child = await startNodeProcess({
    script: 'fhir-server/main.ts',
    env: { FHIR_SERVER_PORT: String(port), FHIR_DATA_DIR: options.dataDir },
    readyText: 'FHIR server listening',
    nodeArgs: options.nodeArgs,
  });
  return Object.assign(child, { baseUrl: `http://127.0.0.1:${port}/fhir/R4`, port });
}
