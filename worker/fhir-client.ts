/**
 * A MedplumClient for any FHIR R4 base URL (the embedded server, Medplum, HAPI, a vendor EHR).
 * Authentication is done in `fetch` (see fhir-auth.ts) rather than by MedplumClient's own login
 * flows, which call Medplum-only endpoints that other servers do not have.
 */
import { MedplumClient } from '@medplum/core';
import { FhirServerUnavailable, isRetryableStatus } from '../activities/fhir-errors.ts';
import type { Config } from './config.ts';
import { authorizedFetch, createAccessTokenSource } from './fhir-auth.ts';

export function createFhirClient(config: Config['fhir'], fetchImpl: typeof fetch = fetch): MedplumClient {
  const base = new URL(config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`);
  const tokens = createAccessTokenSource(config.auth, fetchImpl);
  return new MedplumClient({
    baseUrl: base.origin + '/',
    fhirUrlPath: base.pathname.replace(/^\//, ''),
    fetch: failWhenUnavailable(authorizedFetch(tokens, fetchImpl)),
    // Temporal retries activities with backoff; the client's own retries would only hide faults.
    maxRetries: 0,
    // Every read must see the latest writes (episodes act on what the EHR says now).
    cacheTime: 0,
    onUnauthenticated: () => undefined,
  });
}

/** 408, 429 and 5xx become FhirServerUnavailable, keeping the status and `Retry-After` for the retry policy. */
function failWhenUnavailable(fetchImpl: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (isRetryableStatus(response.status)) {
      await response.body?.cancel();
      throw new FhirServerUnavailable(response.status, response.headers.get('Retry-After'));
    }
    return response;
  };
}
