/**
 * Access tokens for any FHIR R4 server: none, a static bearer token, OAuth2 client credentials
 * with a client secret, or SMART Backend Services (`private_key_jwt` client assertion).
 * Tokens are fetched lazily, shared by concurrent requests, refreshed before they expire, and
 * fetched anew once when the server answers 401.
 */
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { FhirAuth } from './config.ts';

type Fetch = typeof fetch;

/** Refresh this long before the token's stated expiry. */
const REFRESH_MARGIN_MS = 60_000;

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

export interface AccessTokenSource {
  /** A valid token, or undefined when the server needs none. */
  token(): Promise<string | undefined>;
  /** Forget the current token (after a 401). */
  invalidate(): void;
}

export function createAccessTokenSource(auth: FhirAuth, fetchImpl: Fetch = fetch, now: () => number = Date.now): AccessTokenSource {
  switch (auth.kind) {
    case 'none':
      return { token: async () => undefined, invalidate: () => undefined };
    case 'bearer':
      return { token: async () => auth.token, invalidate: () => undefined };
    case 'client-credentials':
      return cachedTokens(
        () =>
          requestToken(fetchImpl, auth.tokenUrl, {
            grant_type: 'client_credentials',
            ...(auth.scope ? { scope: auth.scope } : {}),
          }, { Authorization: `Basic ${Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`).toString('base64')}` }),
        now,
      );
    case 'private-key-jwt': {
      const key = createPrivateKey(readFileSync(auth.privateKeyFile));
      return cachedTokens(
        () =>
          requestToken(fetchImpl, auth.tokenUrl, {
            grant_type: 'client_credentials',
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: clientAssertion(key, auth.clientId, auth.tokenUrl, auth.keyId, now()),
            ...(auth.scope ? { scope: auth.scope } : {}),
          }),
        now,
      );
    }
  }
}

/** A `fetch` that sends the bearer token and retries once with a new token on 401. */
export function authorizedFetch(source: AccessTokenSource, fetchImpl: Fetch = fetch): Fetch {
  return async (input, init) => {
    const attempt = async (): Promise<Response> => {
      const token = await source.token();
      const headers = new Headers(init?.headers);
      if (token) headers.set('Authorization', `Bearer ${token}`);
      return fetchImpl(input, { ...init, headers });
    };
    const response = await attempt();
    if (response.status !== 401) return response;
    source.invalidate();
    return attempt();
  };
}

interface IssuedToken {
  value: string;
  refreshAt: number;
}

function cachedTokens(fetchToken: () => Promise<{ value: string; expiresInMs?: number }>, now: () => number): AccessTokenSource {
  let current: IssuedToken | undefined;
  let pending: Promise<IssuedToken> | undefined;
  return {
    async token() {
      if (current && now() < current.refreshAt) return current.value;
      pending ??= fetchToken()
        .then(({ value, expiresInMs }) => {
          current = { value, refreshAt: expiresInMs ? now() + Math.max(expiresInMs - REFRESH_MARGIN_MS, expiresInMs / 2) : Infinity };
          return current;
        })
        .finally(() => (pending = undefined));
      return (await pending).value;
    },
    invalidate() {
      current = undefined;
    },
  };
}

async function requestToken(
  fetchImpl: Fetch,
  tokenUrl: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ value: string; expiresInMs?: number }> {
  const response = await fetchImpl(tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  if (!response.ok) {
    throw new Error(`FHIR token request to ${tokenUrl} failed with HTTP ${response.status}`);
  }
  const parsed = tokenResponseSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new Error(`FHIR token response from ${tokenUrl} has no usable access_token`);
  return { value: parsed.data.access_token, expiresInMs: parsed.data.expires_in ? parsed.data.expires_in * 1000 : undefined };
}

/** SMART Backend Services client assertion: RS384 or ES384, five minutes, unique jti. */
export function clientAssertion(key: KeyObject, clientId: string, tokenUrl: string, keyId: string | undefined, nowMs: number): string {
  const alg = key.asymmetricKeyType === 'ec' ? 'ES384' : 'RS384';
  const header = { alg, typ: 'JWT', ...(keyId ? { kid: keyId } : {}) };
  const issuedAt = Math.floor(nowMs / 1000);
  const claims = { iss: clientId, sub: clientId, aud: tokenUrl, exp: issuedAt + 300, iat: issuedAt, jti: randomUUID() };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha384', Buffer.from(signingInput), alg === 'ES384' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${signingInput}.${signature.toString('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
