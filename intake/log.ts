/**
 * JSON-line logs of the intake: FHIR ids, codes, dates and counts in `fields`, never resource
 * contents (PHI). Same shape as the worker's logs.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface IntakeLog {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createIntakeLog(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line)): IntakeLog {
  const at =
    (entryLevel: LogLevel) =>
    (message: string, fields: LogFields = {}): void => {
      if (RANK[entryLevel] >= RANK[level]) write(JSON.stringify({ time: new Date().toISOString(), level: entryLevel, message, ...fields }) + '\n');
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLog: IntakeLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
