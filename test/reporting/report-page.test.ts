/**
 * The timeliness page as a supervisor opens it: a file in headless Chromium with JavaScript off and
 * every request but the file's refused. Its two charts rendered with a bar per rule and per
 * specialist; screenshot in test-results/ (and, with UPDATE_DOCS_SCREENSHOT=1, the README's in docs/).
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { reportPage } from '../../intake/report-page.ts';
import { launchHeadlessChromium, TEST_RESULTS } from '../headless-chromium.ts';
import { representativeReport } from './representative-report.ts';

const DOCS_SCREENSHOT = new URL('../../docs/timeliness-report.png', import.meta.url).pathname;

test('the page renders offline without script: both charts with their bars, the reference line, the late items', { timeout: 60_000 }, async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'report-page-')), 'timeliness-2026-11.html');
  writeFileSync(file, reportPage(representativeReport()));
  const url = pathToFileURL(file).href;
  const browser = await launchHeadlessChromium();
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const requested: string[] = [];
    await page.route('**/*', (route) => {
      requested.push(route.request().url());
      return route.request().url() === url ? route.continue() : route.abort();
    });
    await page.goto(url);
    expect(requested).toEqual([url]);
    expect(await page.title()).toBe('On-time documentation, 2026-11');

    for (const [chart, bars] of [['#chart-by-rule', 6], ['#chart-by-specialist', 4]] as const) {
      const rendered = page.locator(`${chart} rect.bar`);
      expect(await rendered.count(), chart).toBe(bars);
      for (let bar = 0; bar < bars; bar++) expect((await rendered.nth(bar).boundingBox())?.width, `${chart} bar ${bar}`).toBeGreaterThan(50);
      expect(await page.locator(`${chart} line.reference`).count()).toBe(1);
      expect(await page.locator(`${chart} text.reference-label`).textContent()).toBe('agency 81%');
    }
    // The 100 % bar spans the axis: from the 0 % to the 100 % tick.
    const full = await page.locator('#chart-by-rule rect.bar').first().boundingBox();
    const ticks = await page.locator('#chart-by-rule text.tick').all();
    const [zero, hundred] = [await ticks[0]?.boundingBox(), await ticks[4]?.boundingBox()];
    expect(Math.abs((full?.width ?? 0) - ((hundred?.x ?? 0) + (hundred?.width ?? 0) / 2 - ((zero?.x ?? 0) + (zero?.width ?? 0) / 2)))).toBeLessThan(2);
    expect(await page.locator('span.outcome').count()).toBe(9);

    mkdirSync(TEST_RESULTS, { recursive: true });
    const screenshot = join(TEST_RESULTS, 'timeliness-report.png');
    const png = await page.screenshot({ path: screenshot, fullPage: true });
    expect(png.length).toBeGreaterThan(50_000);
    console.log(`timeliness page screenshot: ${screenshot} (${png.length} bytes)`);
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') copyFileSync(screenshot, DOCS_SCREENSHOT);
  } finally {
    await browser.close();
  }
});
