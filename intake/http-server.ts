/**
 * The intake's HTTP endpoint for FHIR rest-hook notifications: `POST|PUT /notify/<channel>` (and
 * `…/<channel>/<Type>/<id>`), `<channel>` a watched resource type or `topic`. A thin adapter:
 * size limit, authentication, `parseNotification`, then `deliverFhirChange` for each change.
 *
 * It answers 2xx only once every event is accepted by Temporal, 503 (with Retry-After) when
 * Temporal or the FHIR server cannot be reached, so that the sender delivers again, and 4xx with
 * an OperationOutcome for anything malformed, oversized or unauthenticated.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import { isAuthenticated } from './authenticate.ts';
import { type DeliveryContext, DeliveryUnavailable, deliverFhirChange } from './deliver-fhir-change.ts';
import { isChannel, type NotifiedChange, NotificationRejected, parseNotification } from './notification.ts';
import { isGone } from '../worker/fhir-http-error.ts';

export interface IntakeServerOptions {
  delivery: DeliveryContext;
  /** Shared secret of the Subscriptions (bearer header or HMAC key). */
  secret: string;
  host?: string;
  /** 0 or absent picks a free port. */
  port?: number;
  maxBodyBytes?: number;
  /** An empty notification that names no resource: ask the poller to look now. */
  pollNow?: () => Promise<void>;
}

export interface RunningIntakeServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Past this, an oversized body is not even drained: the connection is dropped. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;
const RETRY_AFTER_SECONDS = 5;

export async function startIntakeServer(options: IntakeServerOptions): Promise<RunningIntakeServer> {
  const server = createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      options.delivery.log.error('notification failed', { error: (error as Error).name });
      send(res, 500, outcome('exception', 'internal error'));
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(options: IntakeServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { log } = options.delivery;
  const path = new URL(req.url ?? '/', 'http://intake').pathname.split('/').filter(Boolean);
  if (req.method === 'GET' && path.length === 1 && path[0] === 'healthz') {
    send(res, 200, { status: 'ok' });
    return;
  }
  const [root, channel, type, id] = path;
  if (root !== 'notify' || !isChannel(channel) || path.length === 3 || path.length > 4) {
    await drain(req);
    send(res, 404, outcome('not-found', 'no such subscription endpoint'));
    return;
  }
  if (req.method !== 'POST' && req.method !== 'PUT') {
    await drain(req);
    send(res, 405, outcome('not-supported', 'notifications are POST or PUT'), { Allow: 'POST, PUT' });
    return;
  }
  const body = await readBody(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  if (!body) {
    send(res, 413, outcome('too-costly', 'notification body too large'), { Connection: 'close' });
    return;
  }
  if (!isAuthenticated(req.headers, body, options.secret)) {
    log.warn('notification not authenticated', { channel });
    send(res, 401, outcome('login', 'missing or wrong secret or signature'));
    return;
  }

  let changes: NotifiedChange[];
  try {
    const notification = parseNotification({ channel, body, pathResource: type && id ? `${type}/${id}` : undefined });
    if (notification.kind !== 'changes' && notification.kind !== 'poll-now') {
      log.debug(`subscription ${notification.kind}`, { channel, subscription: notification.subscription });
      send(res, 200, outcome('informational', notification.kind, 'information'));
      return;
    }
    if (notification.kind === 'poll-now') {
      if (!options.pollNow) throw new NotificationRejected(400, 'invalid', 'empty notification names no resource, and no poller runs');
      await options.pollNow();
      send(res, 202, outcome('informational', 'polling now', 'information'));
      return;
    }
    changes = notification.changes;
  } catch (error) {
    if (error instanceof NotificationRejected) {
      log.info('notification rejected', { channel, status: error.status, reason: error.message });
      send(res, error.status, error.outcome);
      return;
    }
    if (error instanceof DeliveryUnavailable) {
      sendUnavailable(res, error);
      return;
    }
    throw error;
  }

  try {
    let delivered = 0;
    for (const change of changes) {
      const resource = 'resource' in change ? change.resource : await readChanged(options.delivery, change.reference);
      if (resource && (await deliverFhirChange(options.delivery, resource)).outcome === 'delivered') delivered++;
    }
    send(res, 200, outcome('informational', `${delivered} of ${changes.length} changes delivered`, 'information'));
  } catch (error) {
    if (error instanceof DeliveryUnavailable) sendUnavailable(res, error);
    else throw error;
  }
}

/** An id-only change: the resource as it is now; undefined when it is gone. */
async function readChanged(delivery: DeliveryContext, reference: string): Promise<Resource | undefined> {
  const [type, id] = reference.split('/') as [Resource['resourceType'], string];
  try {
    return await delivery.fhir.readResource(type, id, { cache: 'no-cache' });
  } catch (error) {
    if (isGone(error)) return undefined;
    throw new DeliveryUnavailable('FHIR server unavailable', { cause: error });
  }
}

function sendUnavailable(res: ServerResponse, error: DeliveryUnavailable): void {
  send(res, 503, outcome('transient', `${error.message}: deliver again later`), { 'Retry-After': String(RETRY_AFTER_SECONDS) });
}

/** The body, or undefined when it is larger than `limit` (then the rest is drained, up to a bound). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return drain(req).then(() => undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        if (size > MAX_DRAIN_BYTES) req.destroy();
      } else if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Reads and discards the rest of the request, so that the sender gets to read our answer. */
function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) req.destroy();
    });
    req.once('end', resolve);
    req.once('close', resolve);
    req.resume();
  });
}

function outcome(code: string, text: string, severity: 'error' | 'information' = 'error'): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, details: { text } }] } as OperationOutcome;
}

function send(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/fhir+json', 'Content-Length': Buffer.byteLength(json), ...headers });
  res.end(json);
}
