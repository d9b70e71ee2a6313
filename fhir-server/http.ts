/**
 * `node:http` in front of Medplum's FhirRouter: the REST conventions a real R4 server has and the
 * router leaves to its host — JSON bodies with size limits, ETag/Location/Last-Modified, status
 * codes from OperationOutcomes, search paging with `self`/`next`/`previous` links, `/metadata`.
 * Requests run one at a time: the repository is in memory and each write waits for its fsync,
 * so this costs nothing and keeps transactions isolated.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, getSearchParameter, getStatus, normalizeOperationOutcome, notFound } from '@medplum/core';
import type { FhirRequest, FhirRouter } from '@medplum/fhir-router';
import type { Bundle, BundleLink, CapabilityStatement, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { JournaledRepository } from './repository.ts';
import { storageRetryAfterSeconds } from './storage-unavailable.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;

export interface FhirHttpOptions {
  router: FhirRouter;
  repo: JournaledRepository;
  /** Path prefix of the FHIR base, e.g. `/fhir/R4`. */
  basePath: string;
  /** Absolute base URL clients use, for links. */
  baseUrl: string;
  capabilityStatement: CapabilityStatement;
  maxBodyBytes: number;
}

type HttpMethod = FhirRequest['method'];
const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] satisfies HttpMethod[];

class HttpError extends Error {
  readonly outcome: OperationOutcome;
  readonly status: number;
  constructor(status: number, outcome: OperationOutcome) {
    super(outcome.issue?.[0]?.details?.text ?? 'error');
    this.status = status;
    this.outcome = outcome;
  }
}

export function createFhirRequestListener(options: FhirHttpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  let queue: Promise<void> = Promise.resolve();
  return (req, res) => {
    queue = queue.then(() => handle(options, req, res)).catch((err: unknown) => {
      send(res, 500, normalizeOperationOutcome(err));
    });
  };
}

async function handle(options: FhirHttpOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const relative = relativePath(url.pathname, options.basePath);
    if (relative === undefined) throw new HttpError(404, notFound);
    if (!METHODS.includes(method)) throw new HttpError(405, badRequest(`Method ${method} is not supported`));
    if (method === 'GET' && relative === 'metadata') {
      send(res, 200, options.capabilityStatement);
      return;
    }
    const body = await readJsonBody(req, options.maxBodyBytes);
    const routeUrl = withDefaultPageSize(options.router, method as HttpMethod, relative, url.searchParams);
    const [outcome, resource] = await options.router.handleRequest(
      { method: method as HttpMethod, url: routeUrl, pathname: '', body, params: {}, query: {}, headers: req.headers, config: { transactions: true } },
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
  } catch (err) {
    if (err instanceof HttpError) send(res, err.status, err.outcome);
    else send(res, 500, normalizeOperationOutcome(err));
  }
}

function relativePath(pathname: string, basePath: string): string | undefined {
  if (pathname !== basePath && !pathname.startsWith(basePath + '/')) return undefined;
  return pathname.slice(basePath.length).replace(/^\/+|\/+$/g, '');
}

async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) {
    req.resume();
    throw new HttpError(413, badRequest(`Request body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`));
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new HttpError(413, badRequest(`Request body exceeds the limit of ${maxBytes} bytes`));
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, badRequest(`Request body is not valid JSON: ${(err as Error).message}`));
  }
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
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/fhir+json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
