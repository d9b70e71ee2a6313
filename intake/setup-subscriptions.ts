/**
 * `npm run subscriptions -- [--mode r4|backport] [--dry-run]`: creates, idempotently, the
 * Subscriptions the intake needs on the FHIR server of FHIR_BASE_URL, pointing at INTAKE_PUBLIC_URL.
 * An existing Subscription with the same endpoint is kept when it matches, updated otherwise.
 * Prints one line per Subscription (created, updated, unchanged, refused: the server's reason).
 * Exit code 0 when all are in place, 1 when the server refused any, 78 for configuration errors.
 */
import { parseArgs } from 'node:util';
import { type MedplumClient, normalizeErrorString } from '@medplum/core';
import type { Subscription } from '@medplum/fhirtypes';
import { ConfigError } from '../worker/config.ts';
import { createFhirClient } from '../worker/fhir-client.ts';
import { loadIntakeConfig } from './config.ts';
import { desiredSubscriptions, isSameSubscription, type SubscriptionMode } from './subscriptions.ts';

export type SetupOutcome = { endpoint: string; outcome: 'created' | 'updated' | 'unchanged' | 'planned' } | { endpoint: string; outcome: 'refused'; reason: string };

export async function setUpSubscriptions(fhir: MedplumClient, desired: Subscription[], dryRun = false): Promise<SetupOutcome[]> {
  const outcomes: SetupOutcome[] = [];
  for (const subscription of desired) {
    const endpoint = subscription.channel?.endpoint as string;
    try {
      const existing = (await fhir.searchResources('Subscription', { url: endpoint }, { cache: 'no-cache' })).find(
        (candidate) => candidate.channel?.endpoint === endpoint,
      );
      if (existing && isSameSubscription(existing, subscription)) {
        outcomes.push({ endpoint, outcome: 'unchanged' });
      } else if (dryRun) {
        outcomes.push({ endpoint, outcome: 'planned' });
      } else if (existing) {
        await fhir.updateResource({ ...subscription, id: existing.id });
        outcomes.push({ endpoint, outcome: 'updated' });
      } else {
        await fhir.createResource(subscription);
        outcomes.push({ endpoint, outcome: 'created' });
      }
    } catch (error) {
      outcomes.push({ endpoint, outcome: 'refused', reason: normalizeErrorString(error) });
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
  for (const outcome of outcomes) console.log(`${outcome.outcome.padEnd(9)} ${outcome.endpoint}${outcome.outcome === 'refused' ? `: ${outcome.reason}` : ''}`);
  return outcomes.some((outcome) => outcome.outcome === 'refused') ? 1 : 0;
}

if (import.meta.main) {
  try {
    process.exitCode = await main();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `subscriptions: ${(error as Error).message}`);
    process.exitCode = error instanceof ConfigError ? 78 : 1;
  }
}
