/**
 * INTAKE_SUPERVISOR and INTAKE_AGENCY name resources that every Task of every new episode refers to,
 * and servers that check references on write (HAPI by default) refuse those Tasks when they are not
 * there. So start-up reads both and stops when the server says one does not exist; a server that
 * does not answer only delays the check to the Task writes, which retry.
 */
import type { MedplumClient } from '@medplum/core';
import type { Organization, Practitioner, Resource } from '@medplum/fhirtypes';
import { ConfigError } from '../platform/config.ts';
import { httpStatusOf, isGone } from '../platform/fhir-http-error.ts';
import type { EpisodeDefaults } from '../domain/episode/episode-defaults.ts';

export async function requireEpisodeDefaultsOnFhir(fhir: MedplumClient, defaults: EpisodeDefaults): Promise<'resolved' | 'unchecked'> {
  const references: [variable: string, reference: string | undefined][] = [
    ['INTAKE_SUPERVISOR', defaults.supervisor],
    ['INTAKE_AGENCY', defaults.agency],
  ];
  for (const [variable, reference] of references) {
    if (!reference) continue;
    const [type, id] = reference.split('/') as [Resource['resourceType'], string];
    try {
      await fhir.readResource(type, id, { cache: 'no-cache' });
    } catch (error) {
      if (isGone(error)) throw new ConfigError(`configuration error: ${variable}: ${reference} not found on the FHIR server (HTTP ${httpStatusOf(error)})`);
      return 'unchecked';
    }
  }
  return 'resolved';
}

/** The local stack's embedded server starts empty: the resources its defaults name are created there. */
async function ensureOnLocalStack(fhir: MedplumClient, resource: (Practitioner | Organization) & { id: string }): Promise<void> {
  try {
    await fhir.readResource(resource.resourceType, resource.id, { cache: 'no-cache' });
  } catch (error) {
    if (!isGone(error)) throw error;
    await fhir.updateResource(resource);
  }
}

/** Its default supervisor. */
export function ensureLocalStackSupervisor(fhir: MedplumClient, reference: string): Promise<void> {
  return ensureOnLocalStack(fhir, { resourceType: 'Practitioner', id: reference.slice('Practitioner/'.length), active: true, name: [{ text: 'Local stack supervisor' }] });
}

/** The agency its timeliness reports are reported by (REPORT_AGENCY). */
export function ensureLocalStackAgency(fhir: MedplumClient, reference: string): Promise<void> {
  return ensureOnLocalStack(fhir, { resourceType: 'Organization', id: reference.slice('Organization/'.length), active: true, name: 'Local stack agency' });
}
