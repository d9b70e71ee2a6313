/**
 * Temporal's time-skipping test server, for tests whose workflows sleep weeks and years.
 * Uses the Java server from Maven Central (see tools.ts); where it cannot be had, the SDK's download.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTimeSkippingServer } from './tools.ts';

export async function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const path = await ensureTimeSkippingServer();
  return TestWorkflowEnvironment.createTimeSkipping(
    path ? { server: { executable: { type: 'existing-path', path } } } : undefined,
  );
}
