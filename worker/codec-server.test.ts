import { randomBytes } from 'node:crypto';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import type { Payload } from '@temporalio/common';
import { encodeErrorToFailure, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startCodecServer } from './codec-server.ts';
import { createDataConverter } from '../platform/data-converter.ts';
import type { RunningCodecServer } from './codec-server.ts';
import { AesGcmPayloadCodec } from '../platform/payload-codec.ts';

const UI_ORIGIN = 'http://127.0.0.1:8233';
const MARKER = 'codec-server-phi-marker';
const keys = { keys: [{ id: 'k1', key: randomBytes(32) }], encryptKeyId: 'k1' };
const codec = new AesGcmPayloadCodec(keys);

/** Protobuf JSON of payloads, as the Web UI sends them. */
const asJson = (payloads: Payload[]) => ({
  payloads: payloads.map((payload) => ({
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  })),
});
const fromJson = (body: { payloads: { metadata: Record<string, string>; data: string }[] }): Payload[] =>
  body.payloads.map((payload) => ({
    metadata: Object.fromEntries(Object.entries(payload.metadata).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: Buffer.from(payload.data, 'base64'),
  }));

function post(server: RunningCodecServer, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('codec server on the local stack (loopback, no token)', () => {
  let server: RunningCodecServer;
  beforeAll(async () => {
    server = await startCodecServer({ codec, host: '127.0.0.1', port: 0, allowedOrigins: [UI_ORIGIN] });
  });
  afterAll(() => server?.stop());

  test('decodes what the worker encrypted, as the Web UI asks for it', async () => {
    const sealed = await codec.encode([defaultPayloadConverter.toPayload({ note: MARKER })]);
    const response = await post(server, '/decode', asJson(sealed), { Origin: UI_ORIGIN });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const [decoded] = fromJson((await response.json()) as Parameters<typeof fromJson>[0]);
    expect(defaultPayloadConverter.fromPayload(decoded as Payload)).toEqual({ note: MARKER });
  });

  test("decodes a failure's message and stack trace, which the project's converter stores as an encrypted payload", async () => {
    const failure = await encodeErrorToFailure(
      loadDataConverter(createDataConverter(keys)),
      ApplicationFailure.create({ message: `write refused: ${MARKER}`, type: 'FhirRequestRejected', cause: new Error(`cause ${MARKER}`) }),
    );
    // In the history: neither message nor stack trace in clear, at any level of the chain.
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    expect(failure.cause?.message).toBe('Encoded failure');
    expect(JSON.stringify(failure)).not.toContain(Buffer.from(MARKER).toString('base64').slice(0, 12));
    expect(JSON.stringify(failure)).not.toContain(MARKER);
    // The Web UI posts `encodedAttributes` to /decode like any payload.
    const response = await post(server, '/decode', asJson([failure.encodedAttributes as Payload, failure.cause?.encodedAttributes as Payload]), { Origin: UI_ORIGIN });
    expect(response.status).toBe(200);
    const [attributes, causeAttributes] = fromJson((await response.json()) as Parameters<typeof fromJson>[0]).map((payload) => defaultPayloadConverter.fromPayload(payload));
    expect(attributes).toMatchObject({ message: `write refused: ${MARKER}`, stack_trace: expect.stringContaining(MARKER) });
    expect(causeAttributes).toMatchObject({ message: `cause ${MARKER}` });
  });

  test('encodes (e.g. a signal typed in the UI) so that the worker can decrypt it; any path prefix works', async () => {
    const response = await post(server, '/default/encode', asJson([defaultPayloadConverter.toPayload(MARKER)]));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Parameters<typeof fromJson>[0];
    expect(JSON.stringify(body)).not.toContain(Buffer.from(MARKER).toString('base64').slice(0, 16));
    const [opened] = await codec.decode(fromJson(body));
    expect(defaultPayloadConverter.fromPayload(opened as Payload)).toBe(MARKER);
  });

  test('answers the browser preflight for the UI origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/decode`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace' },
      });
    const allowed = await preflight(UI_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-namespace');
    const other = await preflight('https://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('refuses other origins, non-loopback Host headers (DNS rebinding), and malformed requests without echoing them', async () => {
    const sealed = asJson(await codec.encode([defaultPayloadConverter.toPayload(MARKER)]));
    expect((await post(server, '/decode', sealed, { Origin: 'https://evil.example' })).status).toBe(403);
    const rebound = await new Promise<number>((resolve, reject) => {
      // fetch() will not let a caller set Host, so this one goes through node:http.
      import('node:http').then(({ request }) => {
        const url = new URL(`${server.url}/decode`);
        const req = request({ host: url.hostname, port: url.port, path: '/decode', method: 'POST', headers: { Host: 'attacker.example', 'Content-Type': 'application/json' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.once('error', reject);
        req.end(JSON.stringify(sealed));
      }, reject);
    });
    expect(rebound).toBe(403);
    expect((await post(server, '/decode', `{"payloads": [${MARKER}`)).status).toBe(400);
    const wrongShape = await post(server, '/decode', { payloads: [{ data: `not base64 ${MARKER}` }] });
    expect(wrongShape.status).toBe(400);
    expect(await wrongShape.text()).not.toContain(MARKER);
    expect((await post(server, '/other', sealed)).status).toBe(404);
    expect((await fetch(`${server.url}/decode`, { method: 'POST', body: JSON.stringify(sealed) })).status).toBe(415);
  });

  test('a payload encrypted with an unknown key is a 400 that names the key id only', async () => {
    const foreign = new AesGcmPayloadCodec({ keys: [{ id: 'retired-2024', key: randomBytes(32) }], encryptKeyId: 'retired-2024' });
    const response = await post(server, '/decode', asJson(await foreign.encode([defaultPayloadConverter.toPayload(MARKER)])));
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('key id \\"retired-2024\\"');
    expect(body).not.toContain(MARKER);
  });
});

describe('codec server with a bearer token', () => {
  test('requires the token, and refuses to listen beyond loopback without one', async () => {
    await expect(startCodecServer({ codec, host: '0.0.0.0', port: 0, allowedOrigins: [UI_ORIGIN] })).rejects.toThrow(
      /CODEC_SERVER_TOKEN is required to listen on 0.0.0.0/,
    );
    const token = randomBytes(24).toString('base64url');
    const server = await startCodecServer({ codec, host: '127.0.0.1', port: 0, allowedOrigins: [UI_ORIGIN], token });
    try {
      const sealed = asJson(await codec.encode([defaultPayloadConverter.toPayload(MARKER)]));
      expect((await post(server, '/decode', sealed)).status).toBe(401);
      expect((await post(server, '/decode', sealed, { Authorization: `Bearer ${token}x` })).status).toBe(401);
      const ok = await post(server, '/decode', sealed, { Authorization: `Bearer ${token}`, Origin: UI_ORIGIN });
      expect(ok.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
