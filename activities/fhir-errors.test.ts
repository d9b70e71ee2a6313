import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createFhirClient } from '../platform/fhir-client.ts';
import { failureConverter } from '../platform/failure-converter.ts';
import { parseRetryAfter } from '../platform/fhir-http-error.ts';
import { classifyFhirError } from './fhir-errors.ts';

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

/** What the client threw, and what the activity turned it into. */
async function errorsOf(baseUrl: string): Promise<{ error: unknown; failure: ApplicationFailure }> {
  const fhir = createFhirClient({ baseUrl, auth: { kind: 'none' } });
  try {
    await fhir.updateResource({ resourceType: 'Task', id: 't1', status: 'ready', intent: 'order' });
  } catch (error) {
    try {
      classifyFhirError(error, 'update Task/t1');
    } catch (failure) {
      return { error, failure: failure as ApplicationFailure };
    }
  }
  throw new Error('the request did not fail');
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

const MARKER = 'phimarker-refused-value';

/** Everything of an error that may reach a log or a Temporal history. */
function everythingOf(error: unknown): string {
  const { message, stack } = error as Error;
  return [message, stack, JSON.stringify(error), JSON.stringify((error as ApplicationFailure).details ?? null)].join('\n');
}

const outcome = (code: string, text: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] });

describe('FHIR errors as Temporal sees them', () => {
  test('503 with Retry-After seconds: retryable, next retry when the server asked', async () => {
    const failure = await failureOf(await answering(503, { 'Retry-After': '7' }, outcome('transient', 'maintenance')));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe(7000);
    // The workflow reads the delay from the details (a failed local attempt waits for it before the activity takes over).
    expect(failure.details).toEqual([{ status: 503, code: 'transient', retryAfterMs: 7000 }]);
    expect(failure.message).toBe('read Task/t1: HTTP 503 transient');
  });

  test('429 without Retry-After: retryable on the activity retry policy', async () => {
    const failure = await failureOf(await answering(429, {}, outcome('throttled', 'slow down')));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBeUndefined();
    expect(failure.details).toEqual([{ status: 429, code: 'throttled' }]);
  });

  test('a 400 OperationOutcome is non-retryable and carries its status and code, never its text', async () => {
    const failure = await failureOf(await answering(400, {}, outcome('invalid', 'Task.owner: Missing required property')));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('FhirRequestRejected');
    expect(failure.details).toEqual([{ status: 400, code: 'invalid' }]);
    expect(failure.message).toBe('read Task/t1: HTTP 400 invalid');
  });

  test.each([404, 409, 410, 412, 422])('HTTP %i is classified by the status the server sent', async (status) => {
    const failure = await failureOf(await answering(status, {}, outcome('processing', 'x')));
    expect(failure.details).toEqual([{ status, code: 'processing' }]);
    expect(failure.nonRetryable).toBe(![409, 412].includes(status));
  });

  test('a body that is no OperationOutcome gets the code its status stands for', async () => {
    const failure = await failureOf(await answering(502, {}, { message: 'bad gateway' }));
    expect(failure.details).toEqual([{ status: 502, code: 'transient' }]);
  });

  test('no answer at all: retryable, status 0 with the system code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const fhir = createFhirClient({ baseUrl: `http://127.0.0.1:${port}/fhir`, auth: { kind: 'none' } });
    const failure = await fhir.readResource('Task', 't1').then(
      () => undefined,
      (error: unknown) => {
        try {
          classifyFhirError(error, 'read Task/t1');
        } catch (thrown) {
          return thrown as ApplicationFailure;
        }
      },
    );
    expect(failure?.nonRetryable).toBe(false);
    expect(failure?.details).toEqual([{ status: 0, code: 'ECONNREFUSED' }]);
  });

  test("the server's text (diagnostics, details.text, a code that is no code) reaches no message, detail, stack or history", async () => {
    const echoing = {
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'error', code: 'structure', diagnostics: `Task.encounter: got "${MARKER}"`, details: { text: `Invalid reference: got "${MARKER}"` } },
        { severity: 'error', code: `${MARKER} refused`, details: { text: MARKER } },
      ],
    };
    const { error, failure } = await errorsOf(await answering(400, {}, echoing));
    expect((error as Error).message).toBe('FHIR server answered HTTP 400 structure');
    expect((error as { outcome: unknown }).outcome).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'error', code: 'structure' },
        { severity: 'error', code: 'processing' },
      ],
    });
    expect(everythingOf(error)).not.toContain(MARKER);
    expect(failure.message).toBe('update Task/t1: HTTP 400 structure');
    expect(failure.details).toEqual([{ status: 400, code: 'structure' }]);
    expect(everythingOf(failure)).not.toContain(MARKER);
    expect(JSON.stringify(failureConverter.errorToFailure(failure, defaultPayloadConverter))).not.toContain(MARKER);
  });

  test("a success whose body is no JSON (a gateway's page) is a retryable not-fhir refusal that quotes nothing and logs nothing", async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/fhir+json' }).end(`${MARKER} <html>moved</html>`));
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      const { error, failure } = await errorsOf(`http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir/R4`);
      expect((error as Error).message).toBe('FHIR server answered HTTP 200 with a body that is not JSON');
      expect(everythingOf(error)).not.toContain(MARKER.slice(0, 6));
      expect(failure).toMatchObject({ message: 'update Task/t1: HTTP 200 not-fhir', type: 'FhirAnswerUnexpected', nonRetryable: false, details: [{ status: 200, code: 'not-fhir' }] });
      expect(everythingOf(failure)).not.toContain(MARKER.slice(0, 6));
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
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
