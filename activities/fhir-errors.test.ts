import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { afterEach, describe, expect, test } from 'vitest';
import { createFhirClient } from '../worker/fhir-client.ts';
import { classifyFhirError, parseRetryAfter } from './fhir-errors.ts';

let server: Server | undefined;
afterEach(() => server?.close());

/** A FHIR endpoint that answers every request with `status`, these headers and this body. */
async function answering(status: number, headers: Record<string, string>, body: unknown): Promise<string> {
  server = createServer((_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/fhir+json', ...headers }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir/R4`;
}

async function failureOf(baseUrl: string): Promise<ApplicationFailure> {
  const fhir = createFhirClient({ baseUrl, auth: { kind: 'none' } });
  try {
    await fhir.readResource('Task', 't1');
  } catch (error) {
    try {
      classifyFhirError(error, 'read Task/t1');
    } catch (failure) {
      return failure as ApplicationFailure;
    }
  }
  throw new Error('the request did not fail');
}

const outcome = (code: string, text: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] });

describe('FHIR errors as Temporal sees them', () => {
  test('503 with Retry-After seconds: retryable, next retry when the server asked', async () => {
    const failure = await failureOf(await answering(503, { 'Retry-After': '7' }, outcome('transient', 'maintenance')));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe(7000);
    // The workflow reads the delay from the details (a failed local attempt waits for it before the activity takes over).
    expect(failure.details).toEqual([{ retryAfterMs: 7000 }]);
    expect(failure.message).toBe('read Task/t1: FHIR server answered HTTP 503');
  });

  test('429 without Retry-After: retryable on the activity retry policy', async () => {
    const failure = await failureOf(await answering(429, {}, outcome('throttled', 'slow down')));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBeUndefined();
    expect(failure.details ?? []).toEqual([]);
  });

  test('a 400 OperationOutcome is non-retryable and carries its text', async () => {
    const failure = await failureOf(await answering(400, {}, outcome('invalid', 'Task.owner: Missing required property')));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('Task.owner: Missing required property');
  });

  test('Retry-After as an HTTP date, and bounds', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('86400', now)).toBe(15 * 60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
