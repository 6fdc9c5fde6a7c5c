// @tf-background-services: runs on the six services of scripts/services.sh (see test/support/background-services.js).
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { apiKey, ensureServicesUp } from '../pipeline/pipeline-harness';
import { repoRoot } from '../support/processes';

// GraphiQL and Swagger UI with no internet: the browser resolves one name, the gateway's, and every
// request to any other origin is recorded and refused. The host is a name, not 127.0.0.1: Swagger UI
// skips some outside requests (the validator badge) on localhost only, as a person on another machine would not.
const GATEWAY_HOST = 'tf-gateway.test';
const PORT = 10080;
const ORIGIN = `http://${GATEWAY_HOST}:${PORT}`;

let browser: Browser;

async function offlinePage(): Promise<{ context: BrowserContext; page: Page; foreign: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const foreign: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === ORIGIN || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    foreign.push(url);
    return route.abort('internetdisconnected');
  });
  // As the console leaves it after sign-in (same origin): GraphiQL starts with the key.
  await context.addInitScript({ content: `sessionStorage.setItem('tf.apiKey', ${JSON.stringify(apiKey)})` });
  return { context, page: await context.newPage(), foreign };
}

async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(repoRoot, 'test-results', 'console');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}-1280.png`) });
}

beforeAll(async () => {
  ensureServicesUp();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      `--host-resolver-rules=MAP ${GATEWAY_HOST} 127.0.0.1, MAP * ~NOTFOUND`,
      `--explicitly-allowed-ports=${PORT}`,
    ],
  });
});

afterAll(async () => {
  await browser?.close();
});

describe('the API explorers work offline, their assets served by the gateway', () => {
  it('GraphiQL renders, loads the schema and runs a query with the signed-in key', async () => {
    const { context, page, foreign } = await offlinePage();
    try {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${ORIGIN}/graphql`);
      await page.locator('.graphiql-container .graphiql-query-editor .monaco-editor').waitFor();
      await page.getByRole('button', { name: /execute query/i }).click();
      // The answer of the prefilled query: the jobs page, not an error.
      await page.locator('.graphiql-response').getByText('"jobs"').first().waitFor();
      await expect(page.locator('.graphiql-response').innerText()).resolves.not.toMatch(/MISSING_API_KEY|errors/);
      // The schema was introspected: the documentation explorer lists the root types.
      await page.getByRole('button', { name: /show documentation explorer/i }).click();
      await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor();
      await screenshot(page, 'graphiql');
      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('Swagger UI renders the API document', async () => {
    const { context, page, foreign } = await offlinePage();
    try {
      await page.goto(`${ORIGIN}/docs`);
      await page.locator('.swagger-ui .info .title').getByText('Transcode Flow API').waitFor();
      await page.locator('.swagger-ui .opblock').first().waitFor();
      expect(await page.locator('.swagger-ui .opblock').count()).toBeGreaterThan(10);
      // Let it make every request it would make (the validator badge comes after the document).
      await page.waitForLoadState('networkidle');
      await screenshot(page, 'swagger-ui');
      expect(foreign).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
