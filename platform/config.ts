/**
 * All configuration comes from environment variables (and `.env` when present), parsed by one
 * zod schema. The defaults give the local stack; production sets the Temporal and FHIR ones.
 * A bad value stops start-up with one line naming the variable and what is wrong (never a secret).
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { codecKeyring, KEY_ID, parseCodecKeys } from './codec-keys.ts';
import type { CodecKey } from './payload-codec.ts';

/**
 * What one worker process holds and runs at once. An idle episode costs nothing while evicted from
 * the cache (it is replayed when it wakes, from a history bounded by continue-as-new), so the cache
 * size, not the number of open episodes, bounds the worker's memory.
 */
export interface WorkerTuning {
  /** Workflows kept in memory between their workflow tasks (the sticky cache). */
  cachedWorkflows: number;
  /** Threads running workflow code. */
  workflowThreads: number;
  /** Workflow tasks in the worker at once; a task held past the 10 s workflow-task timeout is retried, so keep it modest. */
  concurrentWorkflowTasks: number;
  concurrentActivities: number;
}

export const DEFAULT_WORKER_TUNING: WorkerTuning = { cachedWorkflows: 200, workflowThreads: 2, concurrentWorkflowTasks: 20, concurrentActivities: 40 };

const SECRET_VARIABLES = new Set(['TEMPORAL_API_KEY', 'FHIR_BEARER_TOKEN', 'FHIR_CLIENT_SECRET', 'CODEC_KEYS', 'CODEC_SERVER_TOKEN', 'FHIR_SERVER_TOKEN']);

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const optionalText = z.string().trim().min(1).optional();
const port = z.coerce.number().int().min(1).max(65535);
const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port');
const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1');

export const environmentSchema = z
  .object({
    TEMPORAL_ADDRESS: hostPort.default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('care-episodes'),
    TEMPORAL_API_KEY: optionalText,
    TEMPORAL_TLS: flag,
    TEMPORAL_TLS_CERT_FILE: optionalText,
    TEMPORAL_TLS_KEY_FILE: optionalText,
    TEMPORAL_TLS_SERVER_NAME: optionalText,

    FHIR_BASE_URL: httpUrl.default('http://127.0.0.1:8103/fhir/R4'),
    FHIR_AUTH: z.enum(['none', 'bearer', 'client-credentials', 'private-key-jwt']).default('none'),
    FHIR_BEARER_TOKEN: optionalText,
    FHIR_TOKEN_URL: httpUrl.optional(),
    FHIR_CLIENT_ID: optionalText,
    FHIR_CLIENT_SECRET: optionalText,
    FHIR_PRIVATE_KEY_FILE: optionalText,
    FHIR_PRIVATE_KEY_ID: optionalText,
    FHIR_SCOPE: optionalText,

    AGENCY_POLICY_FILE: optionalText,

    // Worker sizing (see BENCHMARKS.md for how each bounds memory and throughput).
    WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(DEFAULT_WORKER_TUNING.cachedWorkflows),
    WORKER_WORKFLOW_THREADS: z.coerce.number().int().min(1).max(64).default(DEFAULT_WORKER_TUNING.workflowThreads),
    WORKER_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1000).default(DEFAULT_WORKER_TUNING.concurrentWorkflowTasks),
    WORKER_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(1000).default(DEFAULT_WORKER_TUNING.concurrentActivities),
    METRICS_BIND: z.union([hostPort, z.literal('off')]).default('127.0.0.1:9464'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),

    // Payload encryption (platform/payload-codec.ts) and the codec server of the Web UI.
    CODEC_KEYS: optionalText,
    CODEC_ENCRYPT_KEY: z.string().trim().regex(KEY_ID, 'must be a key id of CODEC_KEYS (letters, digits, . _ -)').optional(),
    CODEC_LOCAL_KEY_FILE: z.string().min(1).default('.data/codec-keys'),
    CODEC_SERVER_BIND: hostPort.default('127.0.0.1:8234'),
    CODEC_SERVER_TOKEN: optionalText,
    CODEC_SERVER_ORIGINS: optionalText,

    // Local stack only.
    FHIR_SERVER_HOST: z.string().trim().min(1).default('127.0.0.1'),
    FHIR_SERVER_PORT: port.default(8103),
    FHIR_SERVER_HOSTNAMES: optionalText,
    FHIR_SERVER_TOKEN: optionalText,
    FHIR_DATA_DIR: z.string().min(1).default('.data/fhir'),
    TEMPORAL_UI_PORT: port.default(8233),
    TEMPORAL_DB_FILE: z.string().min(1).default('.data/temporal/temporal.sqlite'),
  })
  .superRefine((env, ctx) => {
    const need = (variable: keyof typeof env, why: string): void => {
      if (!env[variable]) ctx.addIssue({ code: 'custom', path: [variable], message: `is required ${why}` });
    };
    if (env.FHIR_AUTH === 'bearer') need('FHIR_BEARER_TOKEN', 'when FHIR_AUTH=bearer');
    if (env.FHIR_AUTH === 'client-credentials' || env.FHIR_AUTH === 'private-key-jwt') {
      need('FHIR_TOKEN_URL', `when FHIR_AUTH=${env.FHIR_AUTH}`);
      need('FHIR_CLIENT_ID', `when FHIR_AUTH=${env.FHIR_AUTH}`);
    }
    if (env.FHIR_AUTH === 'client-credentials') need('FHIR_CLIENT_SECRET', 'when FHIR_AUTH=client-credentials');
    if (env.FHIR_AUTH === 'private-key-jwt') need('FHIR_PRIVATE_KEY_FILE', 'when FHIR_AUTH=private-key-jwt');
    if (Boolean(env.TEMPORAL_TLS_CERT_FILE) !== Boolean(env.TEMPORAL_TLS_KEY_FILE)) {
      ctx.addIssue({ code: 'custom', path: ['TEMPORAL_TLS_KEY_FILE'], message: 'and TEMPORAL_TLS_CERT_FILE go together (mTLS)' });
    }
    for (const variable of ['FHIR_PRIVATE_KEY_FILE', 'TEMPORAL_TLS_CERT_FILE', 'TEMPORAL_TLS_KEY_FILE', 'AGENCY_POLICY_FILE'] as const) {
      const path = env[variable];
      if (path && !existsSync(path)) ctx.addIssue({ code: 'custom', path: [variable], message: `file not found: ${path}` });
    }
    if (env.CODEC_KEYS) {
      let keys: ReturnType<typeof parseCodecKeys> | undefined;
      try {
        keys = parseCodecKeys(env.CODEC_KEYS);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['CODEC_KEYS'], message: (error as Error).message });
      }
      try {
        if (keys) codecKeyring(keys, env.CODEC_ENCRYPT_KEY);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['CODEC_ENCRYPT_KEY'], message: (error as Error).message });
      }
    }
    for (const name of listOf(env.FHIR_SERVER_HOSTNAMES)) {
      if (!/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/i.test(name)) {
        ctx.addIssue({ code: 'custom', path: ['FHIR_SERVER_HOSTNAMES'], message: `"${name}" is not a host name (no scheme, port or path)` });
      }
    }
    for (const origin of listOf(env.CODEC_SERVER_ORIGINS)) {
      if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
        ctx.addIssue({ code: 'custom', path: ['CODEC_SERVER_ORIGINS'], message: `"${origin}" is not an origin (scheme://host[:port], no path)` });
      }
    }
  });

export type Environment = z.infer<typeof environmentSchema>;

export type FhirAuth =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'client-credentials'; tokenUrl: string; clientId: string; clientSecret: string; scope?: string }
  | { kind: 'private-key-jwt'; tokenUrl: string; clientId: string; privateKeyFile: string; keyId?: string; scope?: string };

export interface Config {
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    apiKey?: string;
    tls?: { serverName?: string; clientCertFile?: string; clientKeyFile?: string };
  };
  fhir: { baseUrl: string; auth: FhirAuth };
  agencyPolicyFile?: string;
  worker: WorkerTuning;
  metricsBind?: string;
  logLevel: Environment['LOG_LEVEL'];
  codec: {
    /** From CODEC_KEYS; absent means the local stack's generated key (see data-converter.ts). */
    keys?: CodecKey[];
    /** CODEC_ENCRYPT_KEY; absent means the first key. */
    encryptKeyId?: string;
    localKeyFile: string;
    server: { bind: string; token?: string; origins?: string[] };
  };
  localStack: {
    fhirServerHost: string;
    fhirServerPort: number;
    /** Host names the embedded FHIR server answers to besides loopback ones and its bind address. */
    fhirServerHostnames: string[];
    /** Bearer token the embedded FHIR server requires; required to bind beyond loopback. */
    fhirServerToken?: string;
    fhirDataDir: string;
    temporalUiPort: number;
    temporalDbFile: string;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws a ConfigError whose message is one line per bad variable. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const result = environmentSchema.safeParse(stripEmpty(env));
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? 'environment');
      const value = env[variable];
      const shown = value === undefined || SECRET_VARIABLES.has(variable) ? '' : ` (got ${JSON.stringify(value)})`;
      return `configuration error: ${variable}: ${issue.message}${shown}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  return toConfig(result.data);
}

/** Loads `.env` (real environment variables win) and parses the result. */
export function loadConfig(envFile = '.env'): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}

function listOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => Boolean(entry[1])));
}

function toConfig(env: Environment): Config {
  const tlsWanted = env.TEMPORAL_TLS || env.TEMPORAL_TLS_CERT_FILE || env.TEMPORAL_API_KEY;
  return {
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      apiKey: env.TEMPORAL_API_KEY,
      tls: tlsWanted
        ? { serverName: env.TEMPORAL_TLS_SERVER_NAME, clientCertFile: env.TEMPORAL_TLS_CERT_FILE, clientKeyFile: env.TEMPORAL_TLS_KEY_FILE }
        : undefined,
    },
    fhir: { baseUrl: env.FHIR_BASE_URL.replace(/\/+$/, ''), auth: toFhirAuth(env) },
    agencyPolicyFile: env.AGENCY_POLICY_FILE,
    worker: {
      cachedWorkflows: env.WORKER_CACHED_WORKFLOWS,
      workflowThreads: env.WORKER_WORKFLOW_THREADS,
      concurrentWorkflowTasks: env.WORKER_CONCURRENT_WORKFLOW_TASKS,
      concurrentActivities: env.WORKER_CONCURRENT_ACTIVITIES,
    },
    metricsBind: env.METRICS_BIND === 'off' ? undefined : env.METRICS_BIND,
    logLevel: env.LOG_LEVEL,
    codec: {
      keys: env.CODEC_KEYS ? parseCodecKeys(env.CODEC_KEYS) : undefined,
      encryptKeyId: env.CODEC_ENCRYPT_KEY,
      localKeyFile: env.CODEC_LOCAL_KEY_FILE,
      server: {
        bind: env.CODEC_SERVER_BIND,
        token: env.CODEC_SERVER_TOKEN,
        origins: env.CODEC_SERVER_ORIGINS ? listOf(env.CODEC_SERVER_ORIGINS) : undefined,
      },
    },
    localStack: {
      fhirServerHost: env.FHIR_SERVER_HOST,
      fhirServerPort: env.FHIR_SERVER_PORT,
      fhirServerHostnames: listOf(env.FHIR_SERVER_HOSTNAMES),
      fhirServerToken: env.FHIR_SERVER_TOKEN,
      fhirDataDir: env.FHIR_DATA_DIR,
      temporalUiPort: env.TEMPORAL_UI_PORT,
      temporalDbFile: env.TEMPORAL_DB_FILE,
    },
  };
}

// The schema's refinements guarantee the fields each kind needs.
function toFhirAuth(env: Environment): FhirAuth {
  const scope = env.FHIR_SCOPE;
  switch (env.FHIR_AUTH) {
    case 'none':
      return { kind: 'none' };
    case 'bearer':
      return { kind: 'bearer', token: env.FHIR_BEARER_TOKEN as string };
    case 'client-credentials':
      return {
        kind: 'client-credentials',
        tokenUrl: env.FHIR_TOKEN_URL as string,
        clientId: env.FHIR_CLIENT_ID as string,
        clientSecret: env.FHIR_CLIENT_SECRET as string,
        scope,
      };
    case 'private-key-jwt':
      return {
        kind: 'private-key-jwt',
        tokenUrl: env.FHIR_TOKEN_URL as string,
        clientId: env.FHIR_CLIENT_ID as string,
        privateKeyFile: env.FHIR_PRIVATE_KEY_FILE as string,
        keyId: env.FHIR_PRIVATE_KEY_ID,
        scope,
      };
  }
}
