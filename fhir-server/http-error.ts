/** An answer decided before or instead of the router's: its status and OperationOutcome. */
import type { OperationOutcome } from '@medplum/fhirtypes';

export class HttpError extends Error {
  readonly outcome: OperationOutcome;
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, outcome: OperationOutcome, headers: Record<string, string> = {}) {
    super(outcome.issue?.[0]?.details?.text ?? 'error');
    this.status = status;
    this.outcome = outcome;
    this.headers = headers;
  }
}

export function errorOutcome(code: string, text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] } as OperationOutcome;
}
