/**
 * The intake's HTTP endpoint for FHIR rest-hook notifications: `POST|PUT /notify/<channel>` (and
 * `…/<channel>/<Type>/<id>`), `<channel>` a watched resource type or `topic`. A thin adapter:
 * size limit, authentication, `parseNotification`, then `deliverFhirChange` for each change.
 * Beside them, `GET /caseload/<Practitioner id>` answers a specialist's caseload (same secret).
 *
 * It answers 2xx only once every event is accepted by Temporal, 503 (with Retry-After) when
 * Temporal or the FHIR server cannot be reached, so that the sender delivers again, and 4xx with
 * an OperationOutcome for anything malformed (400, nested too deep included), unauthenticated
 * (401), too slow to arrive (408), oversized (413) or not JSON by its Content-Type (415). No input
 * is answered 500: a failure of our own is a 503 the sender retries.
 *
 * The Host header is not checked: EHRs reach the intake through names and proxies it cannot know,
 * and what admits a notification is the shared secret, not where it says it was sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import { isAuthenticated } from './authenticate.ts';
import { type DeliveryContext, DeliveryUnavailable, deliverFhirChange } from '../activities/deliver-fhir-change.ts';
import { isChannel, type Notification, NotificationRejected, parseNotification } from './notification.ts';
import { recordSkippedChange } from '../activities/skipped-changes.ts';
import { isGone } from '../platform/fhir-http-error.ts';
import { FHIR_ID_PATTERN } from '../domain/fhir/ids.ts';
import type { CaseloadSummary } from '../workflows/specialist/messages.ts';
import { caseloadAnswer, caseloadOf } from './caseload.ts';

export interface IntakeServerOptions {
  delivery: DeliveryContext;
  /** Shared secret of the Subscriptions (bearer header or HMAC key). */
  secret: string;
  host?: string;
  /** 0 or absent picks a free port. */
  port?: number;
  maxBodyBytes?: number;
  /** How long a request body may take to arrive (a slow sender holds a connection). */
  bodyTimeoutMs?: number;
  /** How long `stop()` lets requests in flight finish before it closes their connections. */
  drainTimeoutMs?: number;
  /** An empty notification that names no resource: ask the poller to look now. */
  pollNow?: () => Promise<void>;
}

export interface RunningIntakeServer {
  url: string;
  port: number;
  /** Requests received and not yet answered. */
  requestsInFlight(): number;
  /** Stops accepting, lets the requests in flight finish (up to `drainTimeoutMs`), then closes. */
  stop(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_BODY_TIMEOUT_MS = 10_000;
const DEFAULT_DRAIN_TIMEOUT_MS = 20_000;
/** Past this, an oversized body is not even drained: the connection is dropped. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;
const RETRY_AFTER_SECONDS = 5;
/** How long the caseload query may take (the specialist's workflow answers from memory). */
const CASELOAD_DEADLINE_MS = 5_000;

export async function startIntakeServer(options: IntakeServerOptions): Promise<RunningIntakeServer> {
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  let drained: (() => void) | undefined;
  const server = createServer((req, res) => {
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (inFlight.size === 0) drained?.();
    });
    if (stopping) res.setHeader('Connection', 'close');
    handle(options, req, res).catch((error: unknown) => {
      options.delivery.log.error('notification failed', { error: (error as Error).name });
      send(res, 503, outcome('transient', 'notification not processed: deliver again later'), { 'Retry-After': String(RETRY_AFTER_SECONDS) });
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
    requestsInFlight: () => inFlight.size,
    stop: async () => {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Answers still to come end their connections: no keep-alive request after them.
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      if (inFlight.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS);
          drained = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      server.closeAllConnections();
      await closed;
    },
  };
}

async function handle(options: IntakeServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { log } = options.delivery;
  const path = new URL(req.url ?? '/', 'http://intake').pathname.split('/').filter(Boolean);
  if (req.method === 'GET' && path.length === 1 && path[0] === 'healthz') {
    send(res, 200, { status: 'ok' });
    return;
  }
  if (path[0] === 'caseload') {
    await drain(req);
    await answerCaseload(options, req, res, path);
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
  const read = await readBody(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS);
  if (read === 'too-large') {
    log.info('notification rejected', { channel, status: 413, reason: 'body too large' });
    send(res, 413, outcome('too-costly', 'notification body too large'), { Connection: 'close' });
    return;
  }
  if (read === 'too-slow') {
    log.info('notification rejected', { channel, status: 408, reason: 'body too slow' });
    send(res, 408, outcome('timeout', 'notification body did not arrive in time'), { Connection: 'close' });
    req.destroy();
    return;
  }
  const body = read;
  if (!isAuthenticated(req.headers, body, options.secret)) {
    log.warn('notification not authenticated', { channel });
    send(res, 401, outcome('login', 'missing or wrong secret or signature'));
    return;
  }
  if (body.length > 0 && !isJsonContentType(req.headers['content-type'])) {
    log.info('notification rejected', { channel, status: 415, reason: 'not JSON' });
    send(res, 415, outcome('not-supported', 'notifications are application/fhir+json'));
    return;
  }

  let notification: Notification;
  try {
    notification = parseNotification({ channel, body, pathResource: type && id ? `${type}/${id}` : undefined });
  } catch (error) {
    if (error instanceof NotificationRejected) {
      log.info('notification rejected', { channel, status: error.status, reason: error.message });
      send(res, error.status, error.outcome);
    } else {
      // Parsing is pure: whatever else it throws, it was the input that made it.
      log.error('notification unreadable', { channel, error: (error as Error).name });
      send(res, 400, outcome('invalid', 'notification could not be read'));
    }
    return;
  }
  if (notification.kind !== 'changes' && notification.kind !== 'poll-now') {
    log.debug(`subscription ${notification.kind}`, { channel, subscription: notification.subscription });
    send(res, 200, outcome('informational', notification.kind, 'information'));
    return;
  }
  if (notification.kind === 'poll-now') {
    if (!options.pollNow) {
      log.info('notification rejected', { channel, status: 400, reason: 'empty notification without a poller' });
      send(res, 400, outcome('invalid', 'empty notification names no resource, and no poller runs'));
      return;
    }
    await options.pollNow();
    send(res, 202, outcome('informational', 'polling now', 'information'));
    return;
  }

  try {
    let delivered = 0;
    for (const change of notification.changes) {
      if ('resource' in change) {
        if ((await deliverFhirChange(options.delivery, change.resource)).outcome === 'delivered') delivered++;
        continue;
      }
      const resource = await readChanged(options.delivery, change.reference);
      if (!resource) recordSkippedChange(options.delivery, change.reference, 'resource-gone', `${change.reference} is gone from the FHIR server`);
      else if ((await deliverFhirChange(options.delivery, resource)).outcome === 'delivered') delivered++;
    }
    send(res, 200, outcome('informational', `${delivered} of ${notification.changes.length} changes delivered`, 'information'));
  } catch (error) {
    if (error instanceof DeliveryUnavailable) sendUnavailable(res, error);
    else throw error;
  }
}

/**
 * `GET /caseload/<Practitioner id>`, with the notifications' bearer secret: the specialist's
 * caseload, cap and whether one more can be assigned, for an EHR screen to ask before it saves.
 */
async function answerCaseload(options: IntakeServerOptions, req: IncomingMessage, res: ServerResponse, path: string[]): Promise<void> {
  if (path.length !== 2) {
    send(res, 404, outcome('not-found', 'the caseload is at /caseload/<Practitioner id>'));
    return;
  }
  if (req.method !== 'GET') {
    send(res, 405, outcome('not-supported', 'the caseload is read with GET'), { Allow: 'GET' });
    return;
  }
  if (!isAuthenticated(req.headers, Buffer.alloc(0), options.secret)) {
    options.delivery.log.warn('caseload request not authenticated');
    send(res, 401, outcome('login', 'missing or wrong secret'));
    return;
  }
  const practitionerId = decodeURIComponent(path[1]!);
  if (!FHIR_ID_PATTERN.test(practitionerId)) {
    send(res, 400, outcome('invalid', 'not a FHIR logical id of a Practitioner'));
    return;
  }
  const { temporal, defaults } = options.delivery;
  let summary: CaseloadSummary;
  try {
    summary = await temporal.withDeadline(Date.now() + CASELOAD_DEADLINE_MS, () => caseloadOf(temporal, practitionerId, defaults.policy));
  } catch (error) {
    options.delivery.log.warn('caseload not read', { error: (error as Error).name });
    send(res, 503, outcome('transient', 'caseload not available: ask again later'), { 'Retry-After': String(RETRY_AFTER_SECONDS) });
    return;
  }
  sendJson(res, 200, caseloadAnswer(summary));
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

/**
 * The body; `too-large` past `limit` (the rest is drained, up to a bound), `too-slow` when it has
 * not all arrived within `timeoutMs`.
 */
function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<Buffer | 'too-large' | 'too-slow'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return drain(req).then(() => 'too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const timer = setTimeout(() => resolve('too-slow'), timeoutMs);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        if (size > MAX_DRAIN_BYTES) req.destroy();
      } else if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(timer);
      resolve(tooLarge ? 'too-large' : Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** JSON by its media type: `application/fhir+json`, `application/json` (parameters such as charset allowed). */
function isJsonContentType(header: string | undefined): boolean {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/fhir+json' || type === 'application/json' || type === 'application/json+fhir';
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
  sendJson(res, status, body, { 'Content-Type': 'application/fhir+json', ...headers });
}

function sendJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json), ...headers });
  res.end(json);
}
