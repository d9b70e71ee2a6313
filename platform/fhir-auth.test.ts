import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { authorizedFetch, createAccessTokenSource } from './fhir-auth.ts';

interface TokenRequest {
  authorization?: string;
  form: URLSearchParams;
}

/** A token endpoint and a protected resource on one local server. */
async function startAuthServer(expiresIn: number): Promise<{ url: string; tokenRequests: TokenRequest[]; revoke(): void; server: Server }> {
  const tokenRequests: TokenRequest[] = [];
  let issued = 0;
  const valid = new Set<string>();
  const body = async (req: IncomingMessage): Promise<string> => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text;
  };
  const server = createServer(async (req, res) => {
    if (req.url === '/token') {
      tokenRequests.push({ authorization: req.headers.authorization, form: new URLSearchParams(await body(req)) });
      const token = `token-${++issued}`;
      valid.add(token);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: expiresIn }));
      return;
    }
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    res.writeHead(token && valid.has(token) ? 200 : 401).end(token ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, tokenRequests, revoke: () => valid.clear(), server };
}

let auth: Awaited<ReturnType<typeof startAuthServer>> | undefined;
afterEach(() => auth?.server.close());

describe('FHIR authentication', () => {
  test('client credentials: Basic client authentication, token reused, refreshed before expiry', async () => {
    auth = await startAuthServer(3600);
    let now = 1_000_000;
    const source = createAccessTokenSource(
      { kind: 'client-credentials', tokenUrl: `${auth.url}/token`, clientId: 'care worker', clientSecret: 's3cret', scope: 'system/*.rs' },
      fetch,
      () => now,
    );
    const call = authorizedFetch(source);
    expect((await call(`${auth.url}/fhir/Task`)).status).toBe(200);
    expect((await call(`${auth.url}/fhir/Task`)).status).toBe(200);
    expect(auth.tokenRequests).toHaveLength(1);
    const [request] = auth.tokenRequests;
    expect(request?.authorization).toBe(`Basic ${Buffer.from('care%20worker:s3cret').toString('base64')}`);
    expect(request?.form.get('grant_type')).toBe('client_credentials');
    expect(request?.form.get('scope')).toBe('system/*.rs');

    now += 3600_000 - 30_000; // inside the refresh margin, before expiry
    expect((await call(`${auth.url}/fhir/Task`)).status).toBe(200);
    expect(auth.tokenRequests).toHaveLength(2);
  });

  test('a 401 fetches a new token once and retries', async () => {
    auth = await startAuthServer(3600);
    const source = createAccessTokenSource({ kind: 'client-credentials', tokenUrl: `${auth.url}/token`, clientId: 'c', clientSecret: 's' });
    const call = authorizedFetch(source);
    expect((await call(`${auth.url}/fhir/Task`)).status).toBe(200);
    auth.revoke();
    expect((await call(`${auth.url}/fhir/Task`)).status).toBe(200);
    expect(auth.tokenRequests).toHaveLength(2);
  });

  test('SMART Backend Services: a signed RS384 client assertion', async () => {
    auth = await startAuthServer(300);
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = join(mkdtempSync(join(tmpdir(), 'auth-test-')), 'key.pem');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const tokenUrl = `${auth.url}/token`;
    const source = createAccessTokenSource({ kind: 'private-key-jwt', tokenUrl, clientId: 'care-worker', privateKeyFile: keyFile, keyId: 'key-1' });
    expect((await authorizedFetch(source)(`${auth.url}/fhir/Task`)).status).toBe(200);

    const form = auth.tokenRequests[0]?.form as URLSearchParams;
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const [header, claims, signature] = (form.get('client_assertion') as string).split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS384', typ: 'JWT', kid: 'key-1' });
    const payload = JSON.parse(Buffer.from(claims, 'base64url').toString());
    expect(payload).toMatchObject({ iss: 'care-worker', sub: 'care-worker', aud: tokenUrl });
    expect(payload.exp - payload.iat).toBe(300);
    expect(verify('sha384', Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
  });
});
