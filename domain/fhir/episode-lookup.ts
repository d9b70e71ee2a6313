/**
 * The choices made while looking up an event's episode and its treatment plan, over the resources
 * the lookups found: which reference to follow, which of several episodes, which CarePlan.
 */
import type { CarePlan, Encounter, EpisodeOfCare } from '@medplum/fhirtypes';
import { relativeReference } from './references.ts';

/** How to find the episode of an event. */
export type EpisodeRoute =
  | { by: 'episode'; episodeOfCare: string }
  /** The Encounter's `episodeOfCare` (a QuestionnaireResponse written during an Encounter). */
  | { by: 'encounter'; encounter: string }
  /** The patient's active EpisodeOfCare. */
  | { by: 'patient'; patient: string };

/** An Encounter's episode: its own `episodeOfCare` reference, else its subject's active episode; undefined without either. */
export function episodeRouteOfEncounter(encounter: Encounter): Exclude<EpisodeRoute, { by: 'encounter' }> | undefined {
  const episodeOfCare = encounter.episodeOfCare?.map((ref) => relativeReference(ref, 'EpisodeOfCare')).find(Boolean);
  if (episodeOfCare) return { by: 'episode', episodeOfCare };
  const patient = relativeReference(encounter.subject, 'Patient');
  return patient ? { by: 'patient', patient } : undefined;
}

/** Of a patient's active EpisodeOfCares, the latest admission (`period.start`). */
export function latestEpisode(episodes: readonly EpisodeOfCare[]): string | undefined {
  const latest = [...episodes].sort((a, b) => (b.period?.start ?? '').localeCompare(a.period?.start ?? ''))[0];
  return latest?.id ? `EpisodeOfCare/${latest.id}` : undefined;
}

/** The episode's treatment plan among its patient's active CarePlans: the one whose `supportingInfo` names the episode. */
export function treatmentPlanAmong(plans: readonly CarePlan[], episode: EpisodeOfCare): string | undefined {
  const plan = plans.find((candidate) =>
    candidate.supportingInfo?.some((info) => relativeReference(info, 'EpisodeOfCare') === `EpisodeOfCare/${episode.id}`),
  );
  return plan?.id ? `CarePlan/${plan.id}` : undefined;
}
