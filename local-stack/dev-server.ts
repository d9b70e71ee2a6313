/**
 * The Temporal CLI's dev server (`temporal server start-dev`): a real Temporal server on a SQLite
 * file, with the Web UI, and our custom search attributes registered at start.
 * Used by the local stack (fixed ports, state kept under `.data/`) and by integration tests
 * (free ports, a throw-away database).
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { CARE_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.ts';
import { freePort } from '../platform/free-port.ts';
import { ensureTemporalCli } from './tools.ts';


export interface DevServerOptions {
  ip?: string;
  /** Frontend gRPC port; 0 or absent picks a free one. */
  port?: number;
  /** Web UI port; 0 or absent picks a free one. */
  uiPort?: number;
  /** SQLite file that keeps state across restarts; absent means in memory. */
  dbFile?: string;
  namespace?: string;
  ui?: boolean;
  /** Remote codec endpoint the Web UI decodes payloads with. */
  uiCodecEndpoint?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Where the server's own output goes (default: discarded unless it fails to start). */
  output?: NodeJS.WritableStream;
}

export interface RunningDevServer {
  address: string;
  namespace: string;
  uiUrl: string | undefined;
  stop(): Promise<void>;
}

const CLI_TYPE_NAMES: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** `--search-attribute Name=Type` arguments for every custom search attribute we use. */
export function searchAttributeArgs(): string[] {
  return CARE_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`]);
}

export async function startTemporalDevServer(options: DevServerOptions = {}): Promise<RunningDevServer> {
  const cli = await ensureTemporalCli();
  if (!cli) return startDownloadedDevServer(options);

  const ip = options.ip ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  const port = options.port || (await freePort(ip));
  const ui = options.ui ?? true;
  const uiPort = ui ? options.uiPort || (await freePort(ip)) : undefined;
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--namespace', namespace];
  args.push('--log-level', options.logLevel ?? 'warn', '--log-format', 'json');
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (uiPort) args.push('--ui-port', String(uiPort));
  else args.push('--headless');
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  args.push(...searchAttributeArgs());

  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const capture = (chunk: Buffer): void => {
    if (options.output) options.output.write(chunk);
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', capture);
  child.stderr.on('data', capture);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const address = `${ip}:${port}`;
  try {
    await waitUntilServing(address, namespace, exited);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`Temporal dev server did not start on ${address}: ${(err as Error).message}\n${output}`, { cause: err });
  }
  return {
    address,
    namespace,
    uiUrl: uiPort ? `http://${ip}:${uiPort}` : undefined,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

async function waitUntilServing(address: string, namespace: string, exited: Promise<number | null>): Promise<void> {
  const deadline = Date.now() + 60_000;
  let gone = false;
  void exited.then(() => (gone = true));
  let lastError: unknown;
  while (Date.now() < deadline && !gone) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        if (await historyShardsServe(connection, namespace)) return;
        lastError = 'history shards not yet owned';
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(gone ? 'the process exited' : `not serving after 60 s (${String(lastError)})`);
}

/**
 * The frontend answers namespace calls before the history service owns its shards; until then a
 * workflow start fails with UNAVAILABLE "shard status unknown". A look-up of a workflow that does
 * not exist is routed to a shard: NOT_FOUND means the shards serve.
 */
const GRPC_NOT_FOUND = 5;

async function historyShardsServe(connection: Connection, namespace: string): Promise<boolean> {
  try {
    await connection.workflowService.describeWorkflowExecution({
      namespace,
      execution: { workflowId: '__dev-server-readiness-probe__' },
    });
    return true;
  } catch (err) {
    return (err as { code?: number }).code === GRPC_NOT_FOUND;
  }
}

/** Where no CLI can be found or built (no Go), the SDK downloads the same dev server. */
async function startDownloadedDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: options.ip,
      port: options.port || undefined,
      ui: options.ui ?? true,
      uiPort: options.uiPort || undefined,
      dbFilename: options.dbFile,
      namespace: options.namespace,
      extraArgs: searchAttributeArgs(),
    },
  });
  const address = env.address;
  return { address, namespace: options.namespace ?? 'default', uiUrl: undefined, stop: () => env.teardown() };
}
