/** A benchmark figure next to its floor, the table printed and the JSON written under bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The same quantity for the floor, measured in the same run. */
  floor?: number;
  /** value / floor (for throughputs, floor / value is not used: ratio > 1 means faster than the floor). */
  ratio?: number;
  /** E.g. "ratio >= 0.5"; absent for figures without a target. */
  target?: string;
  met?: boolean;
  note?: string;
}

export function figure(name: string, value: number, unit: string, extra: Omit<Figure, 'name' | 'value' | 'unit'> = {}): Figure {
  const ratio = extra.floor ? value / extra.floor : undefined;
  return { name, value, unit, ...(ratio !== undefined ? { ratio } : {}), ...extra };
}

const round = (value: number | undefined): string => (value === undefined ? '' : value >= 100 ? value.toFixed(0) : value.toPrecision(3));

export function printTable(figures: readonly Figure[]): void {
  const rows = [['figure', 'value', 'unit', 'floor', 'ratio', 'target', 'met'], ...figures.map((f) => [
    f.name,
    round(f.value),
    f.unit,
    round(f.floor),
    f.ratio === undefined ? '' : f.ratio.toFixed(2),
    f.target ?? '',
    f.met === undefined ? '' : f.met ? 'yes' : 'NO',
  ])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const [index, row] of rows.entries()) {
    console.log(row.map((cell, column) => (column === 0 || column === 2 || column === 5 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
    if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  }
}

export function machine(): Record<string, string | number> {
  return { nproc: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryBytes: totalmem(), node: process.version };
}

/** Writes (or rewrites, given the `file` of an earlier call) the run's JSON; returns its path. */
export function writeResults(figures: readonly Figure[], meta: Record<string, unknown>, file?: string): string {
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  file ??= join(dir, `bench-${new Date().toISOString().replaceAll(':', '-').slice(0, 19)}${meta.quick ? '-quick' : ''}.json`);
  writeFileSync(file, JSON.stringify({ machine: machine(), ...meta, figures }, null, 2) + '\n');
  return file;
}

export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
