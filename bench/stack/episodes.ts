/** Synthetic episodes for benchmarks and fault tests: references and dates only, no PHI. */
import type { Client } from '@temporalio/client';
import type { EpisodeEventInput } from '../../domain/episode/events.ts';
import type { EpisodeInput } from '../../domain/episode/input.ts';
import { episodeStartOptions } from '../../workflows/episode/start-options.ts';
import { localDateOf } from '../../domain/rules/index.ts';

export const TIME_ZONE = 'America/Chicago';

export function todayInAgency(now = Date.now()): string {
  return localDateOf(now, TIME_ZONE);
}

/** Episode `id`: its EpisodeOfCare is `EpisodeOfCare/<id>`, its Tasks' identifiers start with `<id>/`. */
export function syntheticEpisode(id: string, admissionDate: string): EpisodeInput {
  return {
    patient: `Patient/p-${id}`,
    episodeOfCare: `EpisodeOfCare/${id}`,
    carePlan: `CarePlan/cp-${id}`,
    specialist: 'Practitioner/bench-specialist',
    supervisor: 'Practitioner/bench-supervisor',
    agency: 'Organization/bench-agency',
    admissionDate,
    policy: { timeZone: TIME_ZONE },
  };
}

export function startEpisode(client: Client, input: EpisodeInput, taskQueue: string) {
  return client.workflow.start('clientEpisode', episodeStartOptions(input, taskQueue));
}

/** A face-to-face contact: the episode opens its NOTE-INDIVIDUAL Task, identifier `<id>/NOTE-INDIVIDUAL/<encounterId>`. */
export function faceToFace(encounterId: string, date: string): EpisodeEventInput {
  return { type: 'contact-recorded', eventId: `Encounter/${encounterId}/_history/1`, encounterId, kind: 'face-to-face', date };
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight. */
export async function inParallel(count: number, concurrency: number, task: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}
