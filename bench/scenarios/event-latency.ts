/**
 * EHR event → Task readable in FHIR, at a steady rate, against its floor at the same rate: a raw
 * FHIR create of a Task of the same shape plus a bare round trip (the no-op workflow's `ping`
 * update, answered by a worker). The event is the `recordEvent` update of a face-to-face contact on
 * an open episode; it is readable once a search by its NOTE-INDIVIDUAL Task's identifier (every
 * 25 ms, many events' identifiers in one search) finds that Task.
 */
import type { Task } from '@medplum/fhirtypes';
import { figure, percentile, type Figure } from '../figures.ts';
import type { DevStack } from '../stack/dev-stack.ts';
import { faceToFace, todayInAgency } from '../stack/episodes.ts';
import { recordEvent } from '../../workflows/episode/messages.ts';
import { episodeWorkflowId } from '../../domain/episode/input.ts';
import { TASK_IDENTIFIER_SYSTEM } from '../../domain/vocabulary.ts';
import { ping } from '../workflows/noop.ts';

const READ_INTERVAL_MS = 25;
const IDENTIFIERS_PER_READ = 40;

interface Samples {
  /** Milliseconds of the samples that completed. */
  ms: number[];
  /** Samples that failed (e.g. the update's RPC deadline passed while the worker was behind). */
  failed: number;
  firstError?: string;
}

/** Calls `sample(i)` at `ratePerSecond` for `seconds`, without waiting for one to finish before the next. */
async function atSteadyRate(ratePerSecond: number, seconds: number, sample: (index: number) => Promise<number>): Promise<Samples> {
  const count = ratePerSecond * seconds;
  const begun = performance.now();
  const samples: Samples = { ms: [], failed: 0 };
  const pending: Promise<void>[] = [];
  for (let index = 0; index < count; index++) {
    const wait = begun + (index * 1000) / ratePerSecond - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      sample(index).then(
        (ms) => void samples.ms.push(ms),
        (error: unknown) => {
          samples.failed++;
          samples.firstError ??= (error as Error).message;
        },
      ),
    );
  }
  await Promise.all(pending);
  return samples;
}

/**
 * One reader for all pending events: every READ_INTERVAL_MS it asks for the Tasks of the pending
 * events by identifier, in lists of IDENTIFIERS_PER_READ, and resolves those found. (A reader per
 * event, at hundreds pending, would load the FHIR server more than the worker does; a search of the
 * Tasks updated lately scans every Task, which at 11,000 made the reader the server's main load.)
 */
function taskWatcher(fhirBaseUrl: string) {
  const waiting = new Map<string, () => void>();
  let running = true;
  const read = async (identifiers: string[]): Promise<void> => {
    const values = identifiers.map((identifier) => `${TASK_IDENTIFIER_SYSTEM}|${identifier}`).join(',');
    const bundle = (await (await fetch(`${fhirBaseUrl}/Task?identifier=${encodeURIComponent(values)}&_count=1000`)).json()) as { entry?: { resource: Task }[] };
    for (const entry of bundle.entry ?? []) {
      const identifier = entry.resource.identifier?.find((candidate) => candidate.system === TASK_IDENTIFIER_SYSTEM)?.value;
      const resolve = identifier ? waiting.get(identifier) : undefined;
      if (resolve && identifier) {
        waiting.delete(identifier);
        resolve();
      }
    }
  };
  const loop = (async () => {
    while (running) {
      const pending = [...waiting.keys()];
      for (let index = 0; index < pending.length; index += IDENTIFIERS_PER_READ) {
        // The FHIR server busy or restarting: the next round reads again.
        await read(pending.slice(index, index + IDENTIFIERS_PER_READ)).catch(() => undefined);
      }
      await new Promise((resolve) => setTimeout(resolve, READ_INTERVAL_MS));
    }
  })();
  return {
    readable: (identifier: string) => new Promise<void>((resolve) => waiting.set(identifier, resolve)),
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** A Task written by the worker, as the template of the floor's raw creates. */
async function templateTask(fhirBaseUrl: string): Promise<Task> {
  const bundle = (await (await fetch(`${fhirBaseUrl}/Task?_count=1`)).json()) as { entry?: { resource: Task }[] };
  const task = bundle.entry?.[0]?.resource;
  if (!task) throw new Error('no Task to copy for the floor');
  const { id: _id, meta, ...rest } = task;
  return { ...rest, meta: { profile: meta?.profile } };
}

export interface LatencyContext {
  stack: DevStack;
  /** Open episodes (ids) to send events to, one event each; open no-op workflow ids for the floor. */
  episodeIds: string[];
  noopIds: string[];
}

export async function measureEventLatency(context: LatencyContext, ratePerSecond: number, seconds: number): Promise<Figure[]> {
  const { stack } = context;
  const template = await templateTask(stack.fhir.baseUrl);
  const floor = await atSteadyRate(ratePerSecond, seconds, async (index) => {
    const begun = performance.now();
    await stack.client.workflow.getHandle(context.noopIds[index % context.noopIds.length]!).executeUpdate(ping, { args: [index] });
    const task: Task = { ...template, identifier: [{ system: TASK_IDENTIFIER_SYSTEM, value: `floor-${ratePerSecond}-${index}/NOTE-INDIVIDUAL/1` }] };
    const response = await fetch(`${stack.fhir.baseUrl}/Task`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(task) });
    if (response.status !== 201) throw new Error(`floor create: HTTP ${response.status} ${await response.text()}`);
    return performance.now() - begun;
  });
  const today = todayInAgency();
  const watcher = taskWatcher(stack.fhir.baseUrl);
  const run = `r${ratePerSecond}`;
  const events = await atSteadyRate(ratePerSecond, seconds, async (index) => {
    const episodeId = context.episodeIds[index % context.episodeIds.length]!;
    const encounterId = `lat-${run}-${index}`;
    const begun = performance.now();
    const readable = watcher.readable(`${episodeId}/NOTE-INDIVIDUAL/${encounterId}`);
    await stack.client.workflow.getHandle(episodeWorkflowId(episodeId)).executeUpdate(recordEvent, { args: [faceToFace(encounterId, today)] });
    await readable;
    return performance.now() - begun;
  });
  await watcher.stop();
  const label = `${ratePerSecond}/s for ${seconds} s`;
  const failures = (samples: Samples) => (samples.failed ? `; ${samples.failed} of ${ratePerSecond * seconds} failed (${samples.firstError})` : '');
  return [50, 95, 99].map((p) => {
    const f = figure(`event → Task readable p${p}, ${label}`, percentile(events.ms, p), 'ms', {
      floor: percentile(floor.ms, p),
      note: `completed only${failures(events)}${failures(floor) ? ` floor${failures(floor)}` : ''}`,
    });
    // A sample that failed counts as beyond the target.
    if (p === 99) Object.assign(f, { target: 'ratio <= 3', met: (f.ratio ?? Infinity) <= 3 && events.failed === 0 });
    return f;
  });
}
