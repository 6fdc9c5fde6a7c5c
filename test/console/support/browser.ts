import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { repoRoot } from '../../support/processes';

/** The console's origin: the background gateway's console listener (TF_CONSOLE_PORT, 18080). */
export const consoleUrl = `http://127.0.0.1:${process.env.TF_CONSOLE_PORT || 18080}`;

/** Where the screenshots go: kept by the run, gitignored. */
export const screensDir = join(repoRoot, 'test-results', 'console');

/** The machine's Chromium (Debian's package): Playwright cannot download its own browser here. */
const CHROMIUM = process.env.TF_CHROMIUM_PATH || '/usr/bin/chromium';

export interface OpenBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Page errors and failed requests seen so far (a test can assert there were none). */
  pageErrors: string[];
  close: () => Promise<void>;
}

/** Headless Chromium with one page at 1280 px, on the console's origin. */
export async function openBrowser(): Promise<OpenBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in a container: Chromium's sandbox needs user namespaces the machine may not give.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required'],
  });
  const context = await browser.newContext({ baseURL: consoleUrl, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { browser, context, page, pageErrors, close: () => browser.close() };
}

/** Signs in through the sign-in page with `key`; resolves once the signed-in layout shows the tenant. */
export async function signIn(page: Page, key: string, next?: string): Promise<void> {
  await page.goto(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('session-tenant').waitFor();
}

/** Full-page screenshots at 1280 px and 390 px wide: test-results/console/<name>-1280.png and -390.png. */
export async function captureScreens(page: Page, name: string): Promise<string[]> {
  mkdirSync(screensDir, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  const files: string[] = [];
  for (const [width, height] of [
    [1280, 900],
    [390, 844],
  ]) {
    await page.setViewportSize({ width, height });
    const path = join(screensDir, `${name}-${width}.png`);
    await page.screenshot({ path, fullPage: true, animations: 'disabled' });
    files.push(path);
  }
  await page.setViewportSize(original);
  return files;
}

/** axe-core over the page as it is now: fails listing every serious or critical violation. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(serious).toEqual([]);
}

/** The API key the console keeps in this tab's sessionStorage (null when signed out). */
export const storedApiKey = (page: Page): Promise<string | null> =>
  page.evaluate<string | null>("sessionStorage.getItem('tf.apiKey')");
