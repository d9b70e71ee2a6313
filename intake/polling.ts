/** Starting (or finding) the polling workflow of a FHIR source, asking it to poll now, or to backfill. */
import type { Client } from '@temporalio/client';
import { type BackfillRequest, fhirPollingWorkflowId, pollNow, requestBackfill, type FhirPollingInput } from '../workflows/polling/fhir-polling.ts';
import type { fhirPolling } from '../workflows/index.ts';

/**
 * A new polling workflow reads from `input.since`, by default now: what changed before the source
 * was started is left to a backfill. An existing one keeps running (and its cursors).
 */
export async function ensurePolling(temporal: Client, taskQueue: string, input: FhirPollingInput): Promise<string> {
  const workflowId = fhirPollingWorkflowId(input.source);
  await temporal.workflow.start<typeof fhirPolling>('fhirPolling', {
    workflowId,
    taskQueue,
    args: [{ ...input, since: input.since ?? new Date().toISOString() }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return workflowId;
}

export async function requestPoll(temporal: Client, source: string): Promise<void> {
  await temporal.workflow.getHandle(fhirPollingWorkflowId(source)).signal(pollNow);
}

export async function requestPollingBackfill(temporal: Client, source: string, request: BackfillRequest): Promise<string> {
  const workflowId = fhirPollingWorkflowId(source);
  await temporal.workflow.getHandle(workflowId).signal(requestBackfill, request);
  return workflowId;
}
