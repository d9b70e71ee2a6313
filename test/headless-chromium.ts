/** Headless Chromium (Debian's `chromium`, which `.ci/run` installs) driven by playwright-core, and the folder tests put their screenshots in. */
import { chromium, type Browser } from 'playwright-core';

export const TEST_RESULTS = new URL('../test-results/', import.meta.url).pathname;

export function launchHeadlessChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
