/**
 * The codec server of the Temporal Web UI (and of `temporal … --codec-endpoint`): the browser posts
 * the payloads it shows to `/decode` (and what a user types to `/encode`) as protobuf JSON,
 * `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }`, and gets them back decoded.
 *
 * Who may call it:
 * - with a token: only requests carrying `Authorization: Bearer <token>`. The Web UI sends its
 *   user's access token only when it is configured to (`codec.passAccessToken`, with OIDC login);
 *   a reverse proxy in front of the UI may also add it.
 * - without a token: only on a loopback address, for requests addressed to a loopback host name
 *   (so a web page cannot reach it through DNS rebinding). This is the local stack.
 * Browsers may call it only from the listed origins (the Web UI's); other origins get 403.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { isLoopbackHost } from '../platform/codec-keys.ts';

export interface CodecServerOptions {
  codec: PayloadCodec;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Origins of the Web UI, e.g. `http://127.0.0.1:8233`. */
  allowedOrigins: readonly string[];
  /** Required unless `host` is a loopback address. */
  token?: string;
}

export interface RunningCodecServer {
  /** The endpoint to give the Web UI (`--ui-codec-endpoint`). */
  url: string;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

const base64 = z.base64();
const payloadsSchema = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })),
});

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const loopback = isLoopbackHost(options.host);
  if (!options.token && !loopback) {
    throw new Error(`codec server: CODEC_SERVER_TOKEN is required to listen on ${options.host} (not a loopback address)`);
  }
  const origins = new Set(options.allowedOrigins.map((origin) => origin.replace(/\/+$/, '')));
  const expectedAuth = options.token ? Buffer.from(`Bearer ${options.token}`) : undefined;

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof HttpError ? error.message : 'codec server error';
      if (!response.headersSent) respond(response, status, { message });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!origins.has(origin)) throw new HttpError(403, 'origin not allowed');
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
      response.setHeader('Vary', 'Origin');
    }
    if (request.method === 'OPTIONS') {
      // CORS preflight: the UI sends JSON with X-Namespace (and Authorization when configured).
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
      response.setHeader('Access-Control-Max-Age', '600');
      response.writeHead(204).end();
      return;
    }
    if (!expectedAuth) {
      const hostName = (request.headers.host ?? '').replace(/:\d+$/, '');
      if (!isLoopbackHost(hostName)) throw new HttpError(403, 'host not allowed');
    } else {
      const given = Buffer.from(request.headers.authorization ?? '');
      if (given.length !== expectedAuth.length || !timingSafeEqual(given, expectedAuth)) throw new HttpError(401, 'unauthorized');
    }
    // Only the last path segment matters, so the server can be mounted under any prefix.
    const operation = new URL(request.url ?? '/', 'http://codec').pathname.split('/').pop();
    if (operation !== 'encode' && operation !== 'decode') throw new HttpError(404, 'not found: use /encode or /decode');
    if (request.method !== 'POST') throw new HttpError(405, 'use POST');
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) throw new HttpError(415, 'send application/json');

    const parsed = payloadsSchema.safeParse(await readJson(request));
    if (!parsed.success) throw new HttpError(400, 'body must be { payloads: [{ metadata: { key: base64 }, data: base64 }] }');
    const payloads = parsed.data.payloads.map(fromJson);
    let result: Payload[];
    try {
      result = operation === 'encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
    } catch (error) {
      // The codec's messages name key ids and causes, never payload contents.
      throw new HttpError(400, (error as Error).message);
    }
    respond(response, 200, { payloads: result.map(toJson) });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostInUrl}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
}

function respond(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

function fromJson(payload: { metadata?: Record<string, string>; data?: string }): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: Buffer.from(payload.data ?? '', 'base64'),
  };
}

function toJson(payload: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  };
}
