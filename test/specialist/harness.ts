/**
 * Specialist tests on the episode's stack (test/episode/harness.ts: time-skipping Temporal, the
 * embedded FHIR server, the real worker): the specialist's workflow is fed directly with
 * signal-with-start, as the episodes' `tellSpecialist` does, and its results are read from FHIR.
 */
import type { MedplumClient } from '@medplum/core';
import type { MeasureReport, Task } from '@medplum/fhirtypes';
import type { SpecialistEvent } from '../../domain/specialist/events.ts';
import type { SpecialistInput } from '../../domain/specialist/input.ts';
import { CONTACT_HOURS_REPORT_IDENTIFIER_SYSTEM, SPECIALIST_TASK_IDENTIFIER_SYSTEM, SPECIALIST_TASK_STATUS_SYSTEM } from '../../domain/vocabulary.ts';
import { specialistEvent } from '../../workflows/specialist/messages.ts';
import { specialistStartOptions } from '../../workflows/specialist/start-options.ts';
import type { specialistWorkload } from '../../workflows/index.ts';
import { afterAll, beforeAll } from 'vitest';
import { localNoon, skipTo, type Stack, startStack, TASK_QUEUE } from '../episode/harness.ts';

export const SUPERVISOR = 'Practitioner/supervisor-1';

/** One stack for the test file, its clock at noon of `date` (the test server starts at today's date and never goes back). */
export function stackFrom(date: string, options: Parameters<typeof startStack>[0] = {}): { readonly stack: Stack } {
  const holder: { stack?: Stack } = {};
  beforeAll(async () => {
    holder.stack = await startStack(options);
    await skipTo(holder.stack.env, localNoon(date));
  }, 300_000);
  afterAll(async () => holder.stack?.stop());
  return {
    get stack() {
      return holder.stack!;
    },
  };
}

export function specialistInput(id: string, extra: Partial<SpecialistInput> = {}): SpecialistInput {
  return { specialist: `Practitioner/${id}`, supervisor: SUPERVISOR, agency: 'Organization/agency-1', ...extra };
}

/** Sends one event with signal-with-start, as an episode's `tellSpecialist` does. */
export function tell(stack: Stack, input: SpecialistInput, event: SpecialistEvent) {
  return stack.env.client.workflow.signalWithStart<typeof specialistWorkload, [SpecialistEvent]>('specialistWorkload', {
    ...specialistStartOptions(input, TASK_QUEUE),
    signal: specialistEvent,
    signalArgs: [event],
  });
}

const at = (date: string) => new Date(localNoon(date)).toISOString();

export function assigned(episode: string, date: string, levelOfCare: string[] = []): SpecialistEvent {
  return { type: 'episode-assigned', eventId: `EpisodeOfCare/${episode}/_history/1`, episodeOfCare: `EpisodeOfCare/${episode}`, levelOfCare, supervisor: SUPERVISOR, at: at(date) };
}

export function released(episode: string, date: string): SpecialistEvent {
  return { type: 'episode-released', eventId: `EpisodeOfCare/${episode}/_history/9`, episodeOfCare: `EpisodeOfCare/${episode}`, reason: 'discharged', at: at(date) };
}

/** A face-to-face contact at noon on `date` (`version`: the Encounter's version, for a correction). */
export function contact(encounter: string, date: string, minutes: number, travelMinutes = 0, version = 1): SpecialistEvent {
  return {
    type: 'contact-recorded',
    eventId: `Encounter/${encounter}/_history/${version}`,
    encounterId: encounter,
    kind: 'face-to-face',
    start: at(date),
    minutes,
    travelMinutes,
    sourceUpdatedAt: new Date(localNoon(date) + version * 1000).toISOString(),
  };
}

/** Waits (real time) until `holds(read())`. */
export async function until<T>(what: string, read: () => Promise<T>, holds: (value: T) => boolean, polls = 300): Promise<T> {
  for (let poll = 0; ; poll++) {
    const value = await read();
    if (holds(value)) return value;
    if (poll >= polls) throw new Error(`${what}: not so after ${polls} polls (${JSON.stringify(value)?.slice(0, 2000)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The specialist's Tasks by identifier value `<code>/<n>`. */
export async function specialistTasks(fhir: MedplumClient, specialistId: string): Promise<Record<string, Task>> {
  const tasks = await fhir.searchResources('Task', new URLSearchParams([['subject', `Practitioner/${specialistId}`], ['_count', '1000']]), { cache: 'no-cache' });
  const entries = tasks.flatMap((task) => {
    const value = task.identifier?.find((identifier) => identifier.system === SPECIALIST_TASK_IDENTIFIER_SYSTEM)?.value;
    return value?.startsWith(`${specialistId}/`) ? [[value.slice(specialistId.length + 1), task] as const] : [];
  });
  return Object.fromEntries(entries);
}

export const businessStatusOf = (task: Task | undefined) => task?.businessStatus?.coding?.find((coding) => coding.system === SPECIALIST_TASK_STATUS_SYSTEM)?.code;

/** The specialist's weekly reports by ISO week. */
export async function weeklyReports(fhir: MedplumClient, specialistId: string): Promise<MeasureReport[]> {
  return fhir.searchResources('MeasureReport', new URLSearchParams([['subject', `Practitioner/${specialistId}`], ['_count', '1000']]), { cache: 'no-cache' });
}

export function weekOfReport(report: MeasureReport): string | undefined {
  return report.identifier?.find((identifier) => identifier.system === CONTACT_HOURS_REPORT_IDENTIFIER_SYSTEM)?.value?.split('/')[1];
}

export const hoursOf = (report: MeasureReport | undefined, group: 'contact-hours' | 'target-hours') =>
  report?.group?.find((each) => each.code?.coding?.[0]?.code === group)?.measureScore?.value;

/** Every run's history, following continue-as-new from the first run. */
export async function runHistories(stack: Stack, workflowId: string, firstRunId: string) {
  const runs = [];
  for (let runId: string | undefined = firstRunId; runId; ) {
    const history = await stack.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push(history);
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

/** Events per calendar year (UTC) of their time, summed over the runs. */
export function eventsPerYear(runs: Awaited<ReturnType<typeof runHistories>>): Record<string, number> {
  const years: Record<string, number> = {};
  for (const run of runs) {
    for (const event of run.events ?? []) {
      const year = String(new Date(Number(event.eventTime?.seconds ?? 0) * 1000).getUTCFullYear());
      years[year] = (years[year] ?? 0) + 1;
    }
  }
  return years;
}
