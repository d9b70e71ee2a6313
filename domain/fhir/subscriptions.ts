/**
 * The Subscriptions the intake needs on a FHIR server, as resources: one R4 criteria Subscription
 * per watched type (Medplum and other plain R4 servers), or one topic-based Subscription of the
 * Subscriptions Backport IG. Pure; `setup-subscriptions.ts` writes them.
 */
import type { Subscription } from '@medplum/fhirtypes';
import { WATCHED_TYPES } from './change-mapping.ts';
import { CARE_SUBSCRIPTION_TOPIC, R4_CRITERIA } from './subscription-topic.ts';

export const MEDPLUM_SECRET_EXTENSION = 'https://www.medplum.com/fhir/StructureDefinition/subscription-secret';
const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

export type SubscriptionMode = 'r4' | 'backport';

export interface SubscriptionPlan {
  /** The intake's public base URL. */
  intakeUrl: string;
  secret: string;
  mode: SubscriptionMode;
}

export function desiredSubscriptions(plan: SubscriptionPlan): Subscription[] {
  const header = [`Authorization: Bearer ${plan.secret}`];
  if (plan.mode === 'backport') {
    return [
      {
        resourceType: 'Subscription',
        meta: { profile: [`${BACKPORT}/backport-subscription`] },
        status: 'requested',
        reason: 'care-episode workflows: changes to episodes, contacts, documents and requirement Tasks',
        criteria: CARE_SUBSCRIPTION_TOPIC,
        channel: {
          type: 'rest-hook',
          endpoint: `${plan.intakeUrl}/notify/topic`,
          payload: 'application/fhir+json',
          _payload: { extension: [{ url: `${BACKPORT}/backport-payload-content`, valueCode: 'full-resource' }] },
          header,
        } as Subscription['channel'],
      },
    ];
  }
  return WATCHED_TYPES.map((type) => ({
    resourceType: 'Subscription',
    status: 'active',
    reason: `care-episode workflows: ${type} changes`,
    criteria: R4_CRITERIA[type],
    channel: { type: 'rest-hook', endpoint: `${plan.intakeUrl}/notify/${type}`, payload: 'application/fhir+json', header },
    extension: [{ url: MEDPLUM_SECRET_EXTENSION, valueString: plan.secret }],
  }));
}

/** Whether an existing Subscription already does what `desired` asks (so nothing needs writing). */
export function isSameSubscription(existing: Subscription, desired: Subscription): boolean {
  return (
    existing.criteria === desired.criteria &&
    existing.channel?.endpoint === desired.channel?.endpoint &&
    existing.status !== 'off' &&
    existing.status !== 'error' &&
    JSON.stringify(existing.channel?.header ?? []) === JSON.stringify(desired.channel?.header ?? []) &&
    JSON.stringify(existing.extension ?? []) === JSON.stringify(desired.extension ?? [])
  );
}
