/**
 * Test support: writes as an EHR would (plain FHIR REST on the embedded server) and notifies the
 * intake as FHIR servers do: Medplum's signed full-resource POST, and Backport IG `history` Bundles
 * (full-resource or id-only).
 */
import { randomUUID } from 'node:crypto';
import type { Resource } from '@medplum/fhirtypes';
import { signatureOf } from '../../intake/authenticate.ts';
import { CARE_SUBSCRIPTION_TOPIC } from '../../domain/fhir/subscription-topic.ts';

export async function writeAsEhr<T extends Resource>(fhirBaseUrl: string, resource: T): Promise<T> {
  const url = resource.id ? `${fhirBaseUrl}/${resource.resourceType}/${resource.id}` : `${fhirBaseUrl}/${resource.resourceType}`;
  const response = await fetch(url, {
    method: resource.id ? 'PUT' : 'POST',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify(resource),
  });
  const body = (await response.json()) as T;
  if (!response.ok) throw new Error(`EHR write of ${resource.resourceType} failed: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body;
}

export interface Sent {
  status: number;
  body: { resourceType?: string; issue?: { code?: string }[] };
}

export async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Sent> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/fhir+json', ...headers }, body });
  const text = await response.text();
  let parsed: Sent['body'] = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    // left empty: the test's assertion on resourceType will say so
  }
  return { status: response.status, body: parsed };
}

/** Medplum: the resource as the body, `X-Signature` the HMAC of the body. */
export function notifyAsMedplum(intakeUrl: string, secret: string, resource: Resource): Promise<Sent> {
  const body = JSON.stringify(resource);
  return post(`${intakeUrl}/notify/${resource.resourceType}`, body, { 'X-Signature': signatureOf(body, secret) });
}

let eventNumber = 0;

/** A Backport IG (R4) event notification; `idOnly` leaves the resources out. */
export function backportBundle(resources: Resource[], options: { idOnly?: boolean; type?: string } = {}): object {
  const type = options.type ?? 'event-notification';
  const status = {
    resourceType: 'Parameters',
    meta: { profile: ['http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4'] },
    parameter: [
      { name: 'subscription', valueReference: { reference: 'Subscription/care-episodes' } },
      { name: 'topic', valueCanonical: CARE_SUBSCRIPTION_TOPIC },
      { name: 'status', valueCode: 'active' },
      { name: 'type', valueCode: type },
      ...resources.map((resource) => ({
        name: 'notification-event',
        part: [
          { name: 'event-number', valueString: String(++eventNumber) },
          { name: 'focus', valueReference: { reference: `${resource.resourceType}/${resource.id}` } },
        ],
      })),
    ],
  };
  return {
    resourceType: 'Bundle',
    id: randomUUID(),
    type: 'history',
    timestamp: new Date().toISOString(),
    entry: [
      { fullUrl: `urn:uuid:${randomUUID()}`, resource: status, request: { method: 'GET', url: 'Subscription/care-episodes/$status' }, response: { status: '200' } },
      ...(options.idOnly
        ? []
        : resources.map((resource) => ({
            fullUrl: `http://ehr.example.org/fhir/${resource.resourceType}/${resource.id}`,
            resource,
            request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
            response: { status: '200' },
          }))),
    ],
  };
}

/** A Backport server: bearer secret from the Subscription's `channel.header`. */
export function notifyAsBackport(intakeUrl: string, secret: string, bundle: object): Promise<Sent> {
  return post(`${intakeUrl}/notify/topic`, JSON.stringify(bundle), { Authorization: `Bearer ${secret}` });
}
