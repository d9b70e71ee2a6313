/**
 * A MedplumClient for any FHIR R4 base URL (the embedded server, Medplum, HAPI, a vendor EHR).
 * Authentication is done in `fetch` (see fhir-auth.ts) rather than by MedplumClient's own login
 * flows, which call Medplum-only endpoints that other servers do not have.
 */
import { isOperationOutcome, MedplumClient } from '@medplum/core';
import type { OperationOutcome } from '@medplum/fhirtypes';
import type { Config } from './config.ts';
import { authorizedFetch, createAccessTokenSource } from './fhir-auth.ts';
import { FhirAnswerNotJson, FhirHttpError, FhirServerUnreachable } from './fhir-http-error.ts';

export function createFhirClient(config: Config['fhir'], fetchImpl: typeof fetch = fetch): MedplumClient {
  const base = new URL(config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`);
  const tokens = createAccessTokenSource(config.auth, fetchImpl);
  return new MedplumClient({
    baseUrl: base.origin + '/',
    fhirUrlPath: base.pathname.replace(/^\//, ''),
    fetch: failWithStatus(authorizedFetch(tokens, readsCurrent(fetchImpl))),
    // Temporal retries activities with backoff; the client's own retries would only hide faults.
    maxRetries: 0,
    // Every read must see the latest writes (episodes act on what the EHR says now).
    cacheTime: 0,
    onUnauthenticated: () => undefined,
  });
}

/**
 * Servers may answer a repeated search from a cache (HAPI FHIR reuses a search's results for a
 * minute by default): every read asks for the current answer.
 */
function readsCurrent(fetchImpl: typeof fetch): typeof fetch {
  return (input, init) => {
    if ((init?.method ?? 'GET').toUpperCase() !== 'GET') return fetchImpl(input, init);
    const headers = new Headers(init?.headers);
    headers.set('Cache-Control', 'no-cache');
    return fetchImpl(input, { ...init, headers });
  };
}

/**
 * Every error answer becomes a FhirHttpError with the status as sent (and `Retry-After`), a success
 * whose JSON is no JSON a FhirAnswerNotJson, and no answer at all a FhirServerUnreachable, so that
 * callers classify by what the server said.
 */
function failWithStatus(fetchImpl: typeof fetch): typeof fetch {
  return async (input, init) => {
    let response: Response;
    try {
      response = await fetchImpl(input, init);
    } catch (error) {
      // A request we cancelled (an activity's timeout or cancellation) is no answer of the server's.
      if (init?.signal?.aborted) throw error;
      throw new FhirServerUnreachable(error);
    }
    if (response.status < 400) return withJsonBody(response);
    throw new FhirHttpError(response.status, await outcomeIn(response), response.headers.get('Retry-After'));
  };
}

/**
 * A success whose body MedplumClient will parse as JSON (as it decides: a JSON content type and a
 * body) must be JSON: else it logs and throws the parser's error, which quotes the body's start.
 */
async function withJsonBody(response: Response): Promise<Response> {
  const parsedByClient = response.status !== 204 && response.status !== 304 && response.headers.get('content-type')?.includes('json') && response.headers.get('content-length') !== '0';
  if (!parsedByClient) return response;
  const text = await response.text();
  try {
    JSON.parse(text);
  } catch {
    throw new FhirAnswerNotJson(response.status);
  }
  return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
}

async function outcomeIn(response: Response): Promise<OperationOutcome | undefined> {
  try {
    const body: unknown = JSON.parse(await response.text());
    return isOperationOutcome(body) && Array.isArray(body.issue) ? body : undefined;
  } catch {
    return undefined;
  }
}
