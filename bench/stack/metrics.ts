/** Reads counters from a worker's Prometheus endpoint (`METRICS_BIND`). */
export async function metricSum(metricsUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Tasks the care worker has written: `writeRequirementTask` run as an activity or as a local activity. */
export async function tasksWritten(metricsUrl: string): Promise<number> {
  const labels = { activity_type: 'writeRequirementTask' };
  const counts = await Promise.all(
    ['temporal_activity_execution_latency_count', 'temporal_local_activity_execution_latency_count'].map((name) => metricSum(metricsUrl, name, labels)),
  );
  return counts[0]! + counts[1]!;
}

/** Workflow tasks the no-op floor worker has completed. */
export function noopWorkflowTasks(metricsUrl: string): Promise<number> {
  return metricSum(metricsUrl, 'temporal_workflow_task_execution_latency_count', { workflow_type: 'noop' });
}

/** Polls `probe` until it returns true; the elapsed milliseconds, or throws after `timeoutMs`. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<number> {
  const started = performance.now();
  while (!(await probe())) {
    if (performance.now() - started > timeoutMs) throw new Error(`${what}: not reached after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return performance.now() - started;
}
