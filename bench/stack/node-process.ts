/**
 * A project entry point (`worker/main.ts`, `fhir-server/main.ts`, `bench/noop-worker.ts`) as a
 * child process of the pinned Node, started in an empty folder (so no `.env` leaks in), with its
 * output kept for diagnosis. Benchmarks measure its RSS; fault tests SIGKILL it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../local-stack/tools.ts';

export interface NodeProcessOptions {
  /** Path relative to the project root, e.g. `worker/main.ts`. */
  script: string;
  env: Record<string, string>;
  /** Resolves the start once a line of output contains this text. */
  readyText: string;
  readyTimeoutMs?: number;
  nodeArgs?: string[];
}

export interface NodeProcess {
  pid: number;
  /** Everything printed so far (last 64 kB). */
  output(): string;
  exited: Promise<number | null>;
  isRunning(): boolean;
  /** Resident set size from /proc, in bytes. */
  rssBytes(): number;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL: no chance to finish anything. */
  kill(): Promise<number | null>;
}

export async function startNodeProcess(options: NodeProcessOptions): Promise<NodeProcess> {
  const cwd = mkdtempSync(join(tmpdir(), 'care-proc-'));
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...options.env };
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(PROJECT_ROOT, options.script)], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (exitCode, signal) => {
      code = exitCode ?? (signal ? 128 : null);
      resolve(code);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.script} not ready after ${options.readyTimeoutMs ?? 60_000} ms:\n${output}`)), options.readyTimeoutMs ?? 60_000);
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-65_536);
      if (output.includes(options.readyText)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((exitCode) => {
      clearTimeout(timer);
      reject(new Error(`${options.script} exited with code ${exitCode} before it was ready:\n${output}`));
    });
  });
  const pid = child.pid as number;
  const waitExit = async (signal: NodeJS.Signals, graceMs: number): Promise<number | null> => {
    if (code !== undefined) return code;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const result = await exited;
    clearTimeout(timer);
    return result;
  };
  return {
    pid,
    output: () => output,
    exited,
    isRunning: () => code === undefined,
    rssBytes: () => rssOf(pid),
    stop: (graceMs = 30_000) => waitExit('SIGTERM', graceMs),
    kill: () => waitExit('SIGKILL', 0),
  };
}

export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

/** Runs a project entry point to its end (or SIGKILL after `timeoutMs`): its exit code and output. */
export async function runNodeScript(script: string, env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'care-proc-'));
  const child = spawn(process.execPath, [join(PROJECT_ROOT, script)], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, output };
}
