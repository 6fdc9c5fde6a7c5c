// @tf-background-services: runs on the six services of scripts/services.sh (see test/support/background-services.js).
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { apiKey, captureScreens, consoleUrl, ensureServicesUp, signIn } from './support/console-harness';

// GraphiQL and Swagger UI with no internet, on the console's origin: the browser resolves one name,
// the gateway's, and every request to any other origin is recorded and refused. The host is a name,
// not 127.0.0.1, as for a person on another machine (some clients skip outside requests on localhost).
const GATEWAY_HOST = 'tf-gateway.test';
const ORIGIN = `http://${GATEWAY_HOST}:${new URL(consoleUrl).port}`;

let browser: Browser;

async function offlinePage(): Promise<{ context: BrowserContext; page: Page; foreign: string[]; errors: string[] }> {
  const context = await browser.newContext({ baseURL: ORIGIN, viewport: { width: 1280, height: 900 } });
  const foreign: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === ORIGIN || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    foreign.push(url);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, foreign, errors };
}

beforeAll(async () => {
  ensureServicesUp();
  browser = await chromium.launch({
    executablePath: process.env.TF_CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-dev-shm-usage',
      `--host-resolver-rules=MAP ${GATEWAY_HOST} 127.0.0.1, MAP * ~NOTFOUND`,
    ],
  });
});

afterAll(async () => {
  await browser?.close();
});

describe('the API explorers work offline, their assets served by the gateway', () => {
  it("GraphiQL renders, loads the schema and runs a query with the console's key", async () => {
    const { context, page, foreign, errors } = await offlinePage();
    try {
      // Signed in to the console on the same origin: GraphiQL starts with the key in its headers.
      await signIn(page, apiKey);
      await page.goto('/graphql');
      await page.locator('.graphiql-container .graphiql-query-editor .monaco-editor').waitFor();
      await page.getByRole('button', { name: /execute query/i }).click();
      // The answer of the prefilled query: the jobs page, not an error.
      await page.locator('.graphiql-response').getByText('"jobs"').first().waitFor();
      await expect(page.locator('.graphiql-response').innerText()).resolves.not.toMatch(/"errors"/);
      // The schema was introspected: the documentation explorer lists the root types.
      await page.getByRole('button', { name: /show documentation explorer/i }).click();
      await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor();
      await captureScreens(page, 'graphiql');
      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('Swagger UI renders the API document', async () => {
    const { context, page, foreign, errors } = await offlinePage();
    try {
      await page.goto('/docs');
      await page.locator('.swagger-ui .info .title').getByText('Transcode Flow API').waitFor();
      await page.locator('.swagger-ui .opblock').first().waitFor();
      expect(await page.locator('.swagger-ui .opblock').count()).toBeGreaterThan(10);
      // Let it make every request it would make (e.g. a validator badge after the document).
      await page.waitForLoadState('networkidle');
      await captureScreens(page, 'swagger-ui');
      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
