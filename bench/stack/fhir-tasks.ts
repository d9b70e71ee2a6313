/**
 * What is in FHIR, read as an EHR would: every Task, paged, tallied by its requirement identifier.
 * The fault tests' counts (expected, found, duplicates) come from here.
 */
import type { Bundle, Task } from '@medplum/fhirtypes';
import { TASK_IDENTIFIER_SYSTEM, TASK_STATUS_SYSTEM } from '../../domain/vocabulary.ts';

export interface TaskSummary {
  id: string;
  identifier: string;
  status: Task['status'];
  businessStatus: string | undefined;
}

const PAGE = 1000;

export async function listTasks(fhirBaseUrl: string): Promise<TaskSummary[]> {
  const tasks: TaskSummary[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const response = await fetch(`${fhirBaseUrl}/Task?_count=${PAGE}&_offset=${offset}&_sort=_id`);
    if (!response.ok) throw new Error(`Task search: HTTP ${response.status}`);
    const bundle = (await response.json()) as Bundle<Task>;
    const page = (bundle.entry ?? []).map((entry) => entry.resource as Task);
    for (const task of page) {
      tasks.push({
        id: task.id as string,
        identifier: task.identifier?.find((identifier) => identifier.system === TASK_IDENTIFIER_SYSTEM)?.value ?? '',
        status: task.status,
        businessStatus: task.businessStatus?.coding?.find((coding) => coding.system === TASK_STATUS_SYSTEM)?.code,
      });
    }
    if (page.length < PAGE) return tasks;
  }
}

export interface TaskTally {
  expected: number;
  found: number;
  missing: string[];
  /** Identifiers held by more than one Task. */
  duplicates: string[];
  /** Tasks whose identifier was not expected. */
  unexpected: string[];
}

/** Compares the Tasks in FHIR with the identifiers expected (`<episode id>/<code>/<cycle>`), within those that start with `prefix`. */
export function tallyTasks(tasks: readonly TaskSummary[], expected: readonly string[], prefix: string): TaskTally {
  const counts = new Map<string, number>();
  for (const task of tasks) if (task.identifier.startsWith(prefix)) counts.set(task.identifier, (counts.get(task.identifier) ?? 0) + 1);
  const wanted = new Set(expected);
  return {
    expected: wanted.size,
    found: [...wanted].filter((identifier) => counts.has(identifier)).length,
    missing: [...wanted].filter((identifier) => !counts.has(identifier)),
    duplicates: [...counts].filter(([, count]) => count > 1).map(([identifier]) => identifier),
    unexpected: [...counts.keys()].filter((identifier) => !wanted.has(identifier)),
  };
}

/** Reads Tasks until `done` holds or `timeoutMs` passes; returns the last read and whether it held. */
export async function waitForTasks(
  fhirBaseUrl: string,
  done: (tasks: TaskSummary[]) => boolean,
  timeoutMs: number,
  intervalMs = 500,
): Promise<{ tasks: TaskSummary[]; ok: boolean; ms: number }> {
  const started = performance.now();
  for (;;) {
    const tasks = await listTasks(fhirBaseUrl).catch(() => undefined);
    if (tasks && done(tasks)) return { tasks, ok: true, ms: performance.now() - started };
    if (performance.now() - started > timeoutMs) return { tasks: tasks ?? [], ok: false, ms: performance.now() - started };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
