/**
 * FHIR references and versions as the intake needs them: relative `<Type>/<id>` whatever form the
 * server used (relative, absolute URL, versioned), and the version key of the eventId convention.
 */
import type { Reference, Resource } from '@medplum/fhirtypes';
import { FHIR_ID } from './ids.ts';

const RELATIVE = new RegExp(`(?:^|/)([A-Z][A-Za-z]+)/(${FHIR_ID})(?:/_history/[^/]+)?$`);

/** `Patient/1` from `Patient/1`, `https://ehr/fhir/Patient/1` or `Patient/1/_history/3`; undefined otherwise. */
export function relativeReference(reference: Reference | string | undefined, type?: string): string | undefined {
  const text = typeof reference === 'string' ? reference : reference?.reference;
  const match = text ? RELATIVE.exec(text) : null;
  if (!match || (type && match[1] !== type)) return undefined;
  return `${match[1]}/${match[2]}`;
}

/** The version of a resource for event ids: `meta.versionId`, else `meta.lastUpdated`. */
export function versionKeyOf(resource: Resource): string | undefined {
  return resource.meta?.versionId ?? resource.meta?.lastUpdated;
}

/** The episode's event id convention: `<type>/<id>/_history/<versionId>`. */
export function fhirEventId(resource: Resource, version: string, suffix?: string): string {
  return `${resource.resourceType}/${resource.id}/_history/${version}${suffix ? `#${suffix}` : ''}`;
}

const EVENT_ID_RESOURCE = new RegExp(`^([A-Za-z]+/${FHIR_ID})/_history/`);

/** The resource of an event id of that convention: `Encounter/e1` of `Encounter/e1/_history/3`; undefined for others. */
export function resourceOfEventId(eventId: string): string | undefined {
  return EVENT_ID_RESOURCE.exec(eventId)?.[1];
}
