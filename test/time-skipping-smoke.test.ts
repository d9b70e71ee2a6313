import { test, expect } from 'vitest';
import { createTimeSkippingEnvironment } from '../local-stack/time-skipping.ts';
test('boots', async () => {
  const env = await createTimeSkippingEnvironment();
  const before = await env.currentTimeMs();
  await env.sleep('30 days');
  expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(30*86400_000);
  await env.teardown();
});
