/**
 * Structured logs: one JSON object a line on stdout, for every process (worker, intake, operator
 * CLI) and the Temporal runtime. Only ids, codes, dates and counts go in the fields: FHIR logical
 * ids, workflow ids, statuses. Never log FHIR resources, payloads or foreign error texts (PHI).
 */
import { DefaultLogger, type LogLevel as RuntimeLogLevel, type Logger } from '@temporalio/worker';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | undefined>;
type WriteLine = (line: string) => void;

/** The log our own process code writes to (the Temporal runtime's goes through `createJsonLogger`). */
export interface ProcessLog {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const toStdout: WriteLine = (line) => process.stdout.write(line);

function jsonLine(time: Date, level: string, message: string, fields: object): string {
  return JSON.stringify({ time: time.toISOString(), level, message, ...fields }, jsonSafe) + '\n';
}

export function createProcessLog(level: LogLevel, write: WriteLine = toStdout): ProcessLog {
  const at =
    (entryLevel: LogLevel) =>
    (message: string, fields: LogFields = {}): void => {
      if (RANK[entryLevel] >= RANK[level]) write(jsonLine(new Date(), entryLevel, message, fields));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLog: ProcessLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** The Temporal runtime's logger (worker, workflows' `log`, activities' `log`), in the same line format. */
export function createJsonLogger(level: RuntimeLogLevel, write: WriteLine = toStdout): Logger {
  return new DefaultLogger(level, ({ level: entryLevel, message, meta, timestampNanos }) => {
    write(jsonLine(new Date(Number(timestampNanos / 1_000_000n)), entryLevel.toLowerCase(), message, meta ?? {}));
  });
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
