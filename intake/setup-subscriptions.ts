/**
 * `npm run subscriptions -- [--mode r4|backport] [--dry-run]`: creates, idempotently, the
 * Subscriptions the intake needs on the FHIR server of FHIR_BASE_URL, pointing at INTAKE_PUBLIC_URL.
 * An existing Subscription with the same endpoint is kept when it matches, updated otherwise.
 * Prints one line per watched type (created, updated, unchanged, refused: the server's HTTP status
 * and reason) and a count.
 * Exit code 0 when all are in place, 1 when the server refused any, 78 for configuration errors.
 */
import { parseArgs } from 'node:util';
import { type MedplumClient, normalizeErrorString } from '@medplum/core';
import type { Subscription } from '@medplum/fhirtypes';
import { ConfigError } from '../platform/config.ts';
import { createFhirClient } from '../platform/fhir-client.ts';
import { httpStatusOf } from '../platform/fhir-http-error.ts';
import { loadIntakeConfig } from './intake-config.ts';
import { desiredSubscriptions, isSameSubscription, type SubscriptionMode } from '../domain/fhir/subscriptions.ts';

interface SubscriptionTarget {
  /** The resource type its criteria watch (the topic's URL for a Backport Subscription). */
  watches: string;
  endpoint: string;
}

export type SetupOutcome =
  | (SubscriptionTarget & { outcome: 'created' | 'updated' | 'unchanged' | 'planned' })
  | (SubscriptionTarget & { outcome: 'refused'; status: number | undefined; reason: string });

const watchedBy = (subscription: Subscription): string => (subscription.criteria ?? '').split('?')[0] as string;

export async function setUpSubscriptions(fhir: MedplumClient, desired: Subscription[], dryRun = false): Promise<SetupOutcome[]> {
  const outcomes: SetupOutcome[] = [];
  for (const subscription of desired) {
    const endpoint = subscription.channel?.endpoint as string;
    const target = { watches: watchedBy(subscription), endpoint };
    try {
      const existing = (await fhir.searchResources('Subscription', { url: endpoint }, { cache: 'no-cache' })).find(
        (candidate) => candidate.channel?.endpoint === endpoint,
      );
      if (existing && isSameSubscription(existing, subscription)) {
        outcomes.push({ ...target, outcome: 'unchanged' });
      } else if (dryRun) {
        outcomes.push({ ...target, outcome: 'planned' });
      } else if (existing) {
        await fhir.updateResource({ ...subscription, id: existing.id });
        outcomes.push({ ...target, outcome: 'updated' });
      } else {
        await fhir.createResource(subscription);
        outcomes.push({ ...target, outcome: 'created' });
      }
    } catch (error) {
      outcomes.push({ ...target, outcome: 'refused', status: httpStatusOf(error), reason: normalizeErrorString(error) });
    }
  }
  return outcomes;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { mode: { type: 'string', default: 'r4' }, 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log('usage: npm run subscriptions -- [--mode r4|backport] [--dry-run]');
    return 0;
  }
  if (values.mode !== 'r4' && values.mode !== 'backport') {
    console.error('--mode must be r4 or backport');
    return 2;
  }
  const config = loadIntakeConfig();
  const fhir = createFhirClient(config.base.fhir);
  const desired = desiredSubscriptions({ intakeUrl: config.publicUrl, secret: config.secret, mode: values.mode as SubscriptionMode });
  const outcomes = await setUpSubscriptions(fhir, desired, values['dry-run']);
  for (const outcome of outcomes) console.log(describeOutcome(outcome));
  const refused = outcomes.filter((outcome) => outcome.outcome === 'refused').length;
  console.log(`${outcomes.length - refused} of ${outcomes.length} in place${refused ? `, ${refused} refused` : ''}`);
  return refused ? 1 : 0;
}

export function describeOutcome(outcome: SetupOutcome): string {
  const line = `${outcome.outcome.padEnd(9)} ${outcome.watches.padEnd(21)} ${outcome.endpoint}`;
  return outcome.outcome === 'refused' ? `${line}: HTTP ${outcome.status ?? '-'} ${outcome.reason}` : line;
}

if (import.meta.main) {
  try {
    process.exitCode = await main();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `subscriptions: ${(error as Error).message}`);
    process.exitCode = error instanceof ConfigError ? 78 : 1;
  }
}
