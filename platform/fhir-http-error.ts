/**
 * What a FHIR server answered when it did not do what was asked. MedplumClient turns an error
 * response into an OperationOutcomeError that keeps the body but not the HTTP status, and guesses a
 * status from Medplum's own OperationOutcome ids: another server's 404, 409, 412 or 422 all read as
 * 400. The FHIR client's `fetch` (fhir-client.ts) throws this instead, with the status as sent.
 *
 * Neither the message nor the kept `outcome` holds the server's text: servers fill `diagnostics` and
 * `details.text` with resource content (the refused value, quoted), and errors end up in logs and
 * in Temporal histories. What is kept is the HTTP status and each issue's severity and code.
 */
import { OperationOutcomeError } from '@medplum/core';
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

/** Longest `Retry-After` honoured; a server asking for more gets retried on our own schedule. */
const MAX_RETRY_AFTER_MS = 15 * 60_000;

/** The issue code a status stands for when the body is no OperationOutcome. */
function issueCodeForStatus(status: number): OperationOutcomeIssue['code'] {
  if (status === 401 || status === 403) return 'security';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 408) return 'timeout';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'transient';
  return 'processing';
}

const ISSUE_CODE = /^[a-z][a-z-]{0,39}$/;

/** The outcome without the server's words: each issue's severity and code (when it is a code at all). */
function withoutText(outcome: OperationOutcome | undefined, status: number): OperationOutcome {
  const issues = (outcome?.issue ?? []).map(
    (issue): OperationOutcomeIssue => ({
      severity: ['fatal', 'error', 'warning', 'information'].includes(issue.severity) ? issue.severity : 'error',
      code: typeof issue.code === 'string' && ISSUE_CODE.test(issue.code) ? issue.code : issueCodeForStatus(status),
    }),
  );
  return { resourceType: 'OperationOutcome', issue: issues.length > 0 ? issues : [{ severity: 'error', code: issueCodeForStatus(status) }] };
}

export class FhirHttpError extends OperationOutcomeError {
  override name = 'FhirHttpError';
  /** The HTTP status the server sent. */
  readonly status: number;
  /** The first issue's code (`processing`, `not-found`, `conflict`…). */
  readonly code: string;
  /** The server's `Retry-After`, in ms, when it gave one. */
  readonly retryAfterMs: number | undefined;

  constructor(status: number, outcome: OperationOutcome | undefined, retryAfter: string | null, now = Date.now()) {
    const kept = withoutText(outcome, status);
    super(kept);
    this.status = status;
    this.code = kept.issue?.[0]?.code ?? issueCodeForStatus(status);
    this.retryAfterMs = parseRetryAfter(retryAfter, now);
    this.message = `FHIR server answered HTTP ${status} ${this.code}`;
  }
}

/**
 * The server answered with success and a JSON content type but a body that is not JSON (a gateway's
 * HTML page). Thrown before MedplumClient parses it, whose parse error would quote the body.
 */
export class FhirAnswerNotJson extends Error {
  override name = 'FhirAnswerNotJson';
  readonly status: number;
  constructor(status: number) {
    super(`FHIR server answered HTTP ${status} with a body that is not JSON`);
    this.status = status;
  }
}

/** The server did not answer at all (connection refused or reset, DNS, TLS). */
export class FhirServerUnreachable extends Error {
  override name = 'FhirServerUnreachable';
  /** The system error code (`ECONNREFUSED`…), or `unreachable`. */
  readonly code: string;
  constructor(cause: unknown) {
    const code = systemErrorCode(cause) ?? 'unreachable';
    super(`FHIR server did not answer (${code})`, { cause });
    this.code = code;
  }
}

function systemErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]{3,40}$/.test(code)) return code;
  }
  return undefined;
}

/** `Retry-After` as delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const delayMs = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value) - now;
  return Number.isFinite(delayMs) ? Math.min(Math.max(delayMs, 0), MAX_RETRY_AFTER_MS) : undefined;
}

/** The HTTP status of a failed FHIR request, when the server answered. */
export function httpStatusOf(error: unknown): number | undefined {
  return error instanceof FhirHttpError ? error.status : undefined;
}

/** The server said the resource is not there (404) or no longer there (410). */
export function isGone(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === 404 || status === 410;
}
