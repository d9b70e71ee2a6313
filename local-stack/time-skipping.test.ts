import { expect, test } from 'vitest';
import { createTimeSkippingEnvironment } from './time-skipping.ts';

test('the time-skipping server skips 30 days of server time in seconds', async () => {
  const env = await createTimeSkippingEnvironment();
  try {
    const before = await env.currentTimeMs();
    const wallClock = Date.now();
    await env.sleep('30 days');
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(30 * 24 * 3600_000);
    expect(Date.now() - wallClock).toBeLessThan(30_000);
  } finally {
    await env.teardown();
  }
});
