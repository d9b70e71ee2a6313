/**
 * What a FHIR server answered is what was asked for. A misconfigured gateway or EHR may answer 200
 * with JSON that is no FHIR resource: MedplumClient passes it on, and it would fail later with a
 * message that names nothing ("Missing id"), or a search would quietly find nothing. Retryable: the
 * endpoint may come back to its senses; the message names the request and what came back (its
 * `resourceType` only, never content).
 */
import type { Bundle, Resource, ResourceType } from '@medplum/fhirtypes';
import { ApplicationFailure } from '@temporalio/activity';
import type { FhirRefusal } from '../domain/episode/episode-activities.ts';

export function expectResource<T extends ResourceType>(answer: unknown, resourceType: T, what: string): Extract<Resource, { resourceType: T }> {
  const resource = answer as { resourceType?: unknown; id?: unknown } | null | undefined;
  // The server's string is named only when it has the shape of a resource type.
  const got = typeof resource?.resourceType !== 'string' ? 'no resourceType' : /^[A-Z][A-Za-z]{1,63}$/.test(resource.resourceType) ? resource.resourceType : 'an unknown resourceType';
  if (resource?.resourceType === resourceType && (resourceType === 'Bundle' || typeof resource.id === 'string')) {
    return answer as Extract<Resource, { resourceType: T }>;
  }
  const missing = resource?.resourceType === resourceType ? ' without id' : ` (got ${got})`;
  const refusal: FhirRefusal = { status: 200, code: 'not-fhir' };
  throw ApplicationFailure.create({
    message: `${what}: the FHIR server's answer is not a ${resourceType}${missing}`,
    type: 'FhirAnswerUnexpected',
    details: [refusal],
  });
}

/** The resources of a search, once its answer proved to be a Bundle. */
export function expectSearchset<R extends Resource>(results: R[] & { bundle?: Bundle }, what: string): R[] {
  expectResource(results.bundle, 'Bundle', what);
  return results;
}
