/**
 * The canonical URL of the SubscriptionTopic that Backport IG servers notify the intake with, and the
 * R4 criteria of the plain rest-hook Subscriptions: one per watched type.
 */
import { CANONICAL_BASE } from '../vocabulary.ts';
import type { WatchedType } from './change-mapping.ts';

export const CARE_SUBSCRIPTION_TOPIC = `${CANONICAL_BASE}/SubscriptionTopic/care-episode-changes`;

/**
 * R4 `Subscription.criteria` per watched type: only what can mean an event, to spare the intake.
 * Always `Type?params`, which every server accepts (HAPI refuses a bare type); where every version
 * matters, the parameter names every status of the type's required `status`.
 */
export const R4_CRITERIA: Record<WatchedType, string> = {
  EpisodeOfCare: 'EpisodeOfCare?status=planned,waitlist,active,onhold,finished,cancelled,entered-in-error',
  Encounter: 'Encounter?status=planned,arrived,triaged,in-progress,onleave,finished,cancelled,entered-in-error,unknown',
  QuestionnaireResponse: 'QuestionnaireResponse?status=completed',
  Task: `Task?identifier=${CANONICAL_BASE}/sid/requirement-task|`,
};
