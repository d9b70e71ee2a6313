/**
 * Which FHIR failures are worth retrying. A 4xx (other than 408 and 429) will fail the same way
 * again: it becomes a non-retryable ApplicationFailure carrying the OperationOutcome's text.
 * 408, 429, 5xx and network errors are thrown as they are, so Temporal retries them with backoff.
 */
import { getStatus, isOperationOutcome, OperationOutcomeError, operationOutcomeToString } from '@medplum/core';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { ApplicationFailure } from '@temporalio/activity';
import type { RetryLater } from '../workflows/episode/activity-contract.ts';

const RETRYABLE_ISSUE_CODES = new Set(['throttled', 'transient', 'timeout', 'exception', 'lock-error', 'no-store', 'incomplete']);

/** The HTTP status an OperationOutcome stands for (MedplumClient keeps the body, not the status). */
export function statusOf(outcome: OperationOutcome): number {
  const code = outcome.issue?.[0]?.code;
  if (code === 'throttled') return 429;
  if (code === 'timeout') return 408;
  if (code && RETRYABLE_ISSUE_CODES.has(code)) return 500;
  return getStatus(outcome);
}

export function outcomeOf(error: unknown): OperationOutcome | undefined {
  if (error instanceof OperationOutcomeError) return error.outcome;
  const outcome = (error as { outcome?: unknown } | undefined)?.outcome;
  return isOperationOutcome(outcome) ? outcome : undefined;
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Longest `Retry-After` we honour; a server asking for more gets retried on our own schedule. */
const MAX_RETRY_AFTER_MS = 15 * 60_000;

/**
 * The FHIR server answered 408, 429 or 5xx. Thrown by the FHIR client's fetch (worker/fhir-client.ts)
 * because MedplumClient keeps neither the status nor the `Retry-After` header.
 */
export class FhirServerUnavailable extends Error {
  override name = 'FhirServerUnavailable';
  readonly status: number;
  readonly retryAfterMs: number | undefined;
  constructor(status: number, retryAfter: string | null, now = Date.now()) {
    super(`FHIR server answered HTTP ${status}`);
    this.status = status;
    this.retryAfterMs = parseRetryAfter(retryAfter, now);
  }
}

/** `Retry-After` as delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const delayMs = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value) - now;
  return Number.isFinite(delayMs) ? Math.min(Math.max(delayMs, 0), MAX_RETRY_AFTER_MS) : undefined;
}

/** Rethrows `error` as Temporal should see it; `what` names the request (resource types and ids only). */
export function classifyFhirError(error: unknown, what: string): never {
  if (error instanceof FhirServerUnavailable) {
    const retryLater: RetryLater | undefined = error.retryAfterMs === undefined ? undefined : { retryAfterMs: error.retryAfterMs };
    throw ApplicationFailure.create({
      message: `${what}: ${error.message}`,
      type: 'FhirServerError',
      nonRetryable: false,
      // The server honours it between attempts of an activity; the workflow reads the detail (a local attempt's failure hands the call on after it).
      nextRetryDelay: error.retryAfterMs,
      details: retryLater ? [retryLater] : undefined,
    });
  }
  const outcome = outcomeOf(error);
  if (!outcome) throw error; // network error, timeout: retry
  const status = statusOf(outcome);
  const text = `${what}: HTTP ${status}: ${operationOutcomeToString(outcome)}`;
  if (isRetryableStatus(status)) throw ApplicationFailure.retryable(text, 'FhirServerError');
  throw ApplicationFailure.nonRetryable(text, 'FhirRequestRejected', outcome);
}
