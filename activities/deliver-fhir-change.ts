/**
 * Hands the events a FHIR change means to their episode workflow, durably: a signal to the running
 * episode, or signal-with-start from its EpisodeOfCare when it is not running yet (events can
 * arrive before the EpisodeOfCare's own notification). Both paths are accepted by the Temporal
 * server without a worker, so the intake can acknowledge a notification as soon as this resolves.
 * A closed episode (its workflow completed) is never started again: its events are skipped. A
 * backfill starts no episode whose EpisodeOfCare ended before the backfill's date.
 */
import type { MedplumClient } from '@medplum/core';
import { httpStatusOf, isGone } from '../platform/fhir-http-error.ts';
import type { EpisodeOfCare, Resource } from '@medplum/fhirtypes';
import type { MetricMeter } from '@temporalio/common';
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { episodeWorkflowId } from '../domain/episode/input.ts';
import { episodeEvent } from '../workflows/episode/messages.ts';
import { specialistEvent } from '../workflows/specialist/messages.ts';
import { specialistWorkflowId } from '../domain/specialist/input.ts';
import type { SpecialistEvent } from '../domain/specialist/events.ts';
import type { EpisodeEventInput } from '../domain/episode/events.ts';
import { episodeStartOptions } from '../workflows/episode/start-options.ts';
import type { clientEpisode } from '../workflows/index.ts';
import type { EpisodeDefaults } from '../domain/episode/episode-defaults.ts';
import { episodeInputOf, mapFhirChange } from '../domain/fhir/change-mapping.ts';
import type { EpisodeRoute } from '../domain/fhir/episode-lookup.ts';
import type { ProcessLog } from '../platform/logger.ts';
import { relativeReference } from '../domain/fhir/references.ts';
import { idOf } from '../domain/fhir/ids.ts';
import { episodeRouteOfEncounter, latestEpisode, treatmentPlanAmong } from '../domain/fhir/episode-lookup.ts';
import { recordSkippedChange, type SkipReason } from './skipped-changes.ts';

/** How long one hand-over to Temporal may take before the caller is told to try again. */
const TEMPORAL_DEADLINE_MS = 10_000;

export interface DeliveryContext {
  temporal: Client;
  fhir: MedplumClient;
  /** Task queue of the episode workflows. */
  taskQueue: string;
  defaults: EpisodeDefaults;
  log: ProcessLog;
  /** A backfill's date (agency-local YYYY-MM-DD): an episode that ended before it is not started. */
  startsNoEpisodeEndedBefore?: string;
  /** Where skipped changes are counted (see skipped-changes.ts); absent, they are only logged. */
  metricMeter?: MetricMeter;
}

export type DeliveryResult =
  /** `to`: the EpisodeOfCare, or the Practitioner whose workflow heard a change of their own Task. */
  | { outcome: 'delivered'; to: string; events: number }
  | { outcome: 'skipped'; code: SkipReason; reason: string };

/** Temporal or the FHIR server could not be reached: the sender should deliver again later. */
export class DeliveryUnavailable extends Error {
  override name = 'DeliveryUnavailable';
}

export async function deliverFhirChange(context: DeliveryContext, resource: Resource): Promise<DeliveryResult> {
  const what = `${resource.resourceType}/${resource.id}`;
  const skipped = (code: SkipReason, reason: string): DeliveryResult => {
    recordSkippedChange(context, what, code, reason);
    return { outcome: 'skipped', code, reason };
  };
  const mapping = mapFhirChange(resource, context.defaults);
  if (mapping.action === 'skip') return skipped('not-an-episode-event', mapping.reason);
  if (mapping.action === 'tell-specialist') {
    const told = await tellSpecialist(context, mapping.specialist, mapping.event);
    if (!told) return skipped('no-specialist-workflow', `${what}: ${specialistWorkflowId(mapping.specialist)} is not running`);
    context.log.info('FHIR change delivered', { resource: what, specialist: mapping.specialist, events: mapping.event.type });
    return { outcome: 'delivered', to: mapping.specialist, events: 1 };
  }
  const episodeOfCare = await resolveEpisode(context, mapping.route);
  if (!episodeOfCare) return skipped('no-active-episode', `${what}: no active episode found`);
  const known = resource.resourceType === 'EpisodeOfCare' ? (resource as EpisodeOfCare) : undefined;
  for (const event of mapping.events) {
    const delivered = await deliverEvent(context, episodeOfCare, event, known);
    if (!delivered.ok) return skipped(delivered.code, delivered.reason);
  }
  context.log.info('FHIR change delivered', { resource: what, episodeOfCare, events: mapping.events.map((event) => event.type).join(',') });
  return { outcome: 'delivered', to: episodeOfCare, events: mapping.events.length };
}

/** Signals the specialist's workflow; false when none runs (only a running one writes the Tasks it hears about). */
async function tellSpecialist(context: DeliveryContext, specialist: string, event: SpecialistEvent): Promise<boolean> {
  return withTemporal(context, async () => {
    try {
      await context.temporal.workflow.getHandle(specialistWorkflowId(specialist)).signal(specialistEvent, event);
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  });
}

type Delivered = { ok: true } | { ok: false; code: SkipReason; reason: string };

async function deliverEvent(context: DeliveryContext, episodeOfCare: string, event: EpisodeEventInput, known?: EpisodeOfCare): Promise<Delivered> {
  const workflowId = episodeWorkflowId(episodeOfCare);
  const signalled = await withTemporal(context, async () => {
    try {
      await context.temporal.workflow.getHandle(workflowId).signal(episodeEvent, event);
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  });
  if (signalled) return { ok: true };

  const episode = known ?? (await readFhir(context, () => context.fhir.readResource('EpisodeOfCare', idOf(episodeOfCare), { cache: 'no-cache' })));
  if (!episode) return { ok: false, code: 'episode-not-found', reason: `${episodeOfCare} not found` };
  const carePlan = await treatmentPlanOf(context, episode);
  const start = episodeInputOf(episode, context.defaults, carePlan, context.startsNoEpisodeEndedBefore);
  if (!start.ok) return { ok: false, code: 'episode-not-startable', reason: start.reason };
  return withTemporal(context, async () => {
    try {
      await context.temporal.workflow.signalWithStart<typeof clientEpisode, [EpisodeEventInput]>('clientEpisode', {
        ...episodeStartOptions(start.input, context.taskQueue),
        signal: episodeEvent,
        signalArgs: [event],
      });
      context.log.info('episode started', { workflowId, episodeOfCare });
      return { ok: true };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { ok: false, code: 'episode-closed', reason: `${workflowId} is closed` };
      throw error;
    }
  });
}

/** The EpisodeOfCare the route leads to: read the Encounter, or search the patient's active episodes. */
async function resolveEpisode(context: DeliveryContext, route: EpisodeRoute): Promise<string | undefined> {
  if (route.by === 'episode') return route.episodeOfCare;
  if (route.by === 'encounter') {
    const encounter = await readFhir(context, () => context.fhir.readResource('Encounter', idOf(route.encounter), { cache: 'no-cache' }));
    const next = encounter && episodeRouteOfEncounter(encounter);
    return next ? resolveEpisode(context, next) : undefined;
  }
  const episodes = await readFhir(context, () =>
    context.fhir.searchResources('EpisodeOfCare', { patient: route.patient, status: 'active', _count: '20' }, { cache: 'no-cache' }),
  );
  return latestEpisode(episodes ?? []);
}

/** The episode's treatment plan among the active CarePlans of its patient. */
async function treatmentPlanOf(context: DeliveryContext, episode: EpisodeOfCare): Promise<string | undefined> {
  const patient = relativeReference(episode.patient, 'Patient');
  if (!patient) return undefined;
  const plans = await readFhir(context, () =>
    context.fhir.searchResources('CarePlan', { subject: patient, status: 'active', _count: '50' }, { cache: 'no-cache' }),
  );
  return treatmentPlanAmong(plans ?? [], episode);
}

/** A FHIR read: undefined when the resource is gone (404/410); unreachable or failing servers mean "try later". */
async function readFhir<T>(context: DeliveryContext, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isGone(error)) return undefined;
    const status = httpStatusOf(error);
    context.log.warn('FHIR server unavailable', { status });
    throw new DeliveryUnavailable(`FHIR server unavailable${status ? ` (HTTP ${status})` : ''}`, { cause: error });
  }
}

async function withTemporal<T>(context: DeliveryContext, call: () => Promise<T>): Promise<T> {
  try {
    return await context.temporal.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, call);
  } catch (error) {
    if (error instanceof DeliveryUnavailable) throw error;
    context.log.warn('Temporal unavailable', { error: (error as Error).name });
    throw new DeliveryUnavailable('Temporal unavailable', { cause: error });
  }
}
