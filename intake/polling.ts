/** Starting (or finding) the polling workflow of a FHIR source, and asking it to poll now. */
import type { Client } from '@temporalio/client';
import { fhirPollingWorkflowId, pollNow, type FhirPollingInput } from '../workflows/polling/fhir-polling.ts';
import type { fhirPolling } from '../workflows/index.ts';

export async function ensurePolling(temporal: Client, taskQueue: string, input: FhirPollingInput): Promise<string> {
  const workflowId = fhirPollingWorkflowId(input.source);
  await temporal.workflow.start<typeof fhirPolling>('fhirPolling', {
    workflowId,
    taskQueue,
    args: [input],
    // Already polling: keep the running workflow (and its cursors).
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return workflowId;
}

export async function requestPoll(temporal: Client, source: string): Promise<void> {
  await temporal.workflow.getHandle(fhirPollingWorkflowId(source)).signal(pollNow);
}
