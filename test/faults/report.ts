/** The counts every fault test reports: expected Tasks, found, duplicates. */
import type { TaskTally } from '../../bench/stack/fhir-tasks.ts';

export function reportTally(what: string, tally: TaskTally): void {
  console.log(
    `[faults] ${what}: expected ${tally.expected}, found ${tally.found}, duplicates ${tally.duplicates.length}, unexpected ${tally.unexpected.length}` +
      (tally.missing.length ? `, missing e.g. ${tally.missing.slice(0, 3).join(' ')}` : ''),
  );
}
