/**
 * The embedded server's storage could not take a write (disk full, I/O error): nothing of the write
 * was applied and the client may send it again after `retryAfterSeconds` (HTTP 503 with
 * `Retry-After`). The OperationOutcome names the errno code only, never the operating system's text.
 */
import { OperationOutcomeError } from '@medplum/core';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { CANONICAL_BASE } from '../domain/vocabulary.ts';

const STORAGE_UNAVAILABLE_ID = 'storage-unavailable';
/** Carries the Retry-After interval in the outcome itself, so the HTTP layer needs nothing else. */
const RETRY_AFTER_EXTENSION = `${CANONICAL_BASE}/StructureDefinition/retry-after-seconds`;

export class StorageUnavailableError extends OperationOutcomeError {
  constructor(errnoCode: string, retryAfterSeconds: number) {
    super({
      resourceType: 'OperationOutcome',
      id: STORAGE_UNAVAILABLE_ID,
      extension: [{ url: RETRY_AFTER_EXTENSION, valueInteger: retryAfterSeconds }],
      issue: [
        {
          severity: 'error',
          code: 'transient',
          details: { text: `The server could not store the change (${errnoCode}); nothing was changed, retry later` },
        },
      ],
    });
  }
}

/** The error's code from the operating system (`ENOSPC`, `EIO`…), or `EIO` for anything without one. */
export function errnoCode(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : 'EIO';
}

/** The Retry-After seconds of a storage-unavailable outcome, or undefined for any other outcome. */
export function storageRetryAfterSeconds(outcome: OperationOutcome): number | undefined {
  if (outcome.id !== STORAGE_UNAVAILABLE_ID) return undefined;
  return outcome.extension?.find((extension) => extension.url === RETRY_AFTER_EXTENSION)?.valueInteger ?? 1;
}
