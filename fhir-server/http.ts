/**
 * `node:http` in front of Medplum's FhirRouter: the REST conventions a real R4 server has and the
 * router leaves to its host — JSON bodies with size limits, ETag/Location/Last-Modified, status
 * codes from OperationOutcomes, search paging with `self`/`next`/`previous` links, `/metadata` —
 * and who may call it: the `Host` names it serves, the bearer token when one is set, JSON bodies only.
 *
 * Each request is checked and its body read to the end first, concurrently; only then does it
 * wait its turn for the router. Router calls run one at a time: the repository is in memory and
 * each write waits for its fsync, so this costs nothing and keeps transactions isolated, and a
 * client that sends slowly holds up no one else.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, getSearchParameter, getStatus, normalizeOperationOutcome, notFound } from '@medplum/core';
import type { FhirRequest, FhirRouter } from '@medplum/fhir-router';
import type { Bundle, BundleLink, CapabilityStatement, Resource } from '@medplum/fhirtypes';
import { bearerTokenCheck } from './bearer-token.ts';
import { errorOutcome, HttpError } from './http-error.ts';
import type { JournaledRepository } from './repository.ts';
import { storageRetryAfterSeconds } from './storage-unavailable.ts';
import { assertJsonBody, discardBody, readJsonBody, RequestAborted } from './request-body.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;
/** What is left of a refused body is read and dropped up to this, so that its sender gets our answer. */
const REFUSED_BODY_DRAIN_BYTES = 1024 * 1024;

export interface FhirHttpOptions {
  router: FhirRouter;
  repo: JournaledRepository;
  /** Path prefix of the FHIR base, e.g. `/fhir/R4`. */
  basePath: string;
  /** Absolute base URL clients use, for links. */
  baseUrl: string;
  capabilityStatement: CapabilityStatement;
  maxBodyBytes: number;
  /** Whether a request's `Host` header names this server. */
  isServedHost: (host: string | undefined) => boolean;
  /** When set, every request but `GET /metadata` must carry `Authorization: Bearer <token>`. */
  token?: string;
}

type HttpMethod = FhirRequest['method'];
const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] satisfies HttpMethod[];

export function createFhirRequestListener(options: FhirHttpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const serially = serialQueue();
  const checkToken = options.token ? bearerTokenCheck(options.token) : undefined;
  return (req, res) => {
    void handle(options, serially, checkToken, req, res).catch((err: unknown) => {
      send(res, 500, normalizeOperationOutcome(err));
    });
  };
}

function serialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}

async function handle(
  options: FhirHttpOptions,
  serially: ReturnType<typeof serialQueue>,
  checkToken: ReturnType<typeof bearerTokenCheck> | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    // 421 Misdirected Request (RFC 9110): the name is not one this server answers to, whoever asks.
    if (!options.isServedHost(req.headers.host)) throw new HttpError(421, errorOutcome('forbidden', 'The Host header does not name this server'));
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const relative = relativePath(url.pathname, options.basePath);
    const isMetadata = method === 'GET' && relative === 'metadata';
    if (checkToken && !isMetadata) assertAuthorized(checkToken, req.headers.authorization);
    if (relative === undefined) throw new HttpError(404, notFound);
    if (!METHODS.includes(method)) throw new HttpError(405, badRequest(`Method ${method} is not supported`));
    if (isMetadata) {
      send(res, 200, options.capabilityStatement);
      return;
    }
    assertJsonBody(req, method);
    const body = await readJsonBody(req, options.maxBodyBytes);
    await serially(() => route(options, method as HttpMethod, relative, url.searchParams, req.headers, body, res));
  } catch (err) {
    if (err instanceof RequestAborted) return;
    if (!(err instanceof HttpError)) throw err;
    const drained = await discardBody(req, REFUSED_BODY_DRAIN_BYTES);
    send(res, err.status, err.outcome, drained ? err.headers : { ...err.headers, Connection: 'close' });
  }
}

function assertAuthorized(checkToken: ReturnType<typeof bearerTokenCheck>, authorization: string | undefined): void {
  const verdict = checkToken(authorization);
  if (verdict === 'valid') return;
  const challenge = verdict === 'missing' ? 'Bearer realm="fhir"' : 'Bearer realm="fhir", error="invalid_token"';
  const text = verdict === 'missing' ? 'This server requires Authorization: Bearer <token>' : 'The bearer token is not valid';
  throw new HttpError(401, errorOutcome('login', text), { 'WWW-Authenticate': challenge });
}

async function route(
  options: FhirHttpOptions,
  method: HttpMethod,
  relative: string,
  searchParams: URLSearchParams,
  headers: IncomingHttpHeaders,
  body: unknown,
  res: ServerResponse,
): Promise<void> {
  const routeUrl = withDefaultPageSize(options.router, method, relative, searchParams);
  const [outcome, resource] = await options.router.handleRequest(
    { method, url: routeUrl, pathname: '', body, params: {}, query: {}, headers, config: { transactions: true } },
    options.repo,
  );
  const status = getStatus(outcome);
  if (!resource) {
    const retryAfter = storageRetryAfterSeconds(outcome);
    if (retryAfter === undefined) send(res, status, outcome);
    else send(res, 503, outcome, { 'Retry-After': String(retryAfter) });
    return;
  }
  if (resource.resourceType === 'Bundle' && resource.type === 'searchset') {
    addSearchLinks(resource, options.baseUrl, routeUrl);
  }
  send(res, status, resource, resourceHeaders(resource, options.baseUrl, status));
}

function relativePath(pathname: string, basePath: string): string | undefined {
  if (pathname !== basePath && !pathname.startsWith(basePath + '/')) return undefined;
  return pathname.slice(basePath.length).replace(/^\/+|\/+$/g, '');
}

/**
 * Searches without `_count` get a page of DEFAULT_PAGE_SIZE, as real servers do; `_count` is capped.
 * An unknown search parameter is a 400, as on HAPI and Medplum, not a search that matches nothing.
 */
function withDefaultPageSize(router: FhirRouter, method: HttpMethod, relative: string, params: URLSearchParams): string {
  const route = router.find(method, relative);
  const interaction = route?.data?.interaction;
  if (interaction === 'search-type') assertKnownSearchParameters(route?.params.resourceType ?? relative, params);
  if (interaction === 'search-type' || interaction === 'search-system') {
    const requested = Number(params.get('_count') ?? DEFAULT_PAGE_SIZE);
    const count = Number.isInteger(requested) && requested >= 0 ? Math.min(requested, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
    params.set('_count', String(count));
  }
  const query = params.toString();
  return query ? `${relative}?${query}` : relative;
}

function assertKnownSearchParameters(resourceType: string, params: URLSearchParams): void {
  for (const name of new Set(params.keys())) {
    const code = name.split(/[:.]/, 1)[0] as string;
    if (code.startsWith('_') || getSearchParameter(resourceType, code)) continue;
    throw new HttpError(400, badRequest(`Unknown search parameter '${code}' for ${resourceType}`, `${resourceType}?${code}`));
  }
}

function addSearchLinks(bundle: Bundle, baseUrl: string, routeUrl: string): void {
  const [path = '', query = ''] = routeUrl.split('?');
  const params = new URLSearchParams(query);
  const count = Number(params.get('_count') ?? DEFAULT_PAGE_SIZE);
  const offset = Number(params.get('_offset') ?? 0);
  const pageUrl = (pageOffset: number): string => {
    const page = new URLSearchParams(params);
    page.set('_offset', String(pageOffset));
    return `${baseUrl}/${path}?${page.toString()}`;
  };
  const link: BundleLink[] = [{ relation: 'self', url: `${baseUrl}/${routeUrl}` }];
  if (count > 0 && bundle.total !== undefined && offset + count < bundle.total) link.push({ relation: 'next', url: pageUrl(offset + count) });
  if (count > 0 && offset > 0) link.push({ relation: 'previous', url: pageUrl(Math.max(0, offset - count)) });
  bundle.link = link;
  for (const entry of bundle.entry ?? []) {
    if (entry.resource?.id) entry.fullUrl = `${baseUrl}/${entry.resource.resourceType}/${entry.resource.id}`;
  }
}

function resourceHeaders(resource: Resource, baseUrl: string, status: number): Record<string, string> {
  const headers: Record<string, string> = {};
  const versionId = resource.meta?.versionId;
  if (versionId) headers.ETag = `W/"${versionId}"`;
  if (resource.meta?.lastUpdated) headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
  if (status === 201 && resource.id) {
    headers.Location = `${baseUrl}/${resource.resourceType}/${resource.id}${versionId ? `/_history/${versionId}` : ''}`;
  }
  return headers;
}

function send(res: ServerResponse, status: number, body: Resource, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/fhir+json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
