/**
 * Temporal's time-skipping test server, for tests whose workflows sleep weeks and years.
 * Uses the Java server from Maven Central (see tools.ts); where it cannot be had, the SDK's download.
 */
import type { ConnectionPlugin } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTimeSkippingServer } from './tools.ts';

/**
 * The Java server (grpc-java's defaults) allows a keepalive ping every 5 minutes and none while no
 * call is open; the client's every 30 s get the connection closed for "excess pings" about a
 * minute and a half in, and a time-skipping call cut that way leaves the server's skipping lock
 * unbalanced (a suite then hangs in its next skip).
 */
const javaServerKeepalive: ConnectionPlugin = {
  name: 'java-test-server-keepalive',
  configureConnection: (options) => ({
    ...options,
    channelArgs: { ...options.channelArgs, 'grpc.keepalive_time_ms': 6 * 60_000, 'grpc.keepalive_permit_without_calls': 0 },
  }),
};

export async function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const path = await ensureTimeSkippingServer();
  return TestWorkflowEnvironment.createTimeSkipping({
    ...(path ? { server: { executable: { type: 'existing-path', path } } } : {}),
    plugins: [javaServerKeepalive],
  });
}
