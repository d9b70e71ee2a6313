/**
 * Structured logs: one JSON object a line on stdout, for the worker and the Temporal runtime.
 * Only what the SDK and our code put in `meta` is logged: workflow ids, FHIR logical ids, codes
 * and dates. Never log FHIR resources or payloads (PHI).
 */
import { DefaultLogger } from '@temporalio/worker';
import type { LogLevel, Logger } from '@temporalio/worker';

export function createJsonLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  return new DefaultLogger(level, ({ level: entryLevel, message, meta, timestampNanos }) => {
    const time = new Date(Number(timestampNanos / 1_000_000n)).toISOString();
    write(JSON.stringify({ time, level: entryLevel.toLowerCase(), message, ...meta }, jsonSafe) + '\n');
  });
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
