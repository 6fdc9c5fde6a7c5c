// @tf-background-services: runs on the six services of scripts/services.sh (see test/support/background-services.js).
import {
  apiKey,
  browserForTests,
  captureScreens,
  expectNoSeriousA11yViolations,
  signIn,
  storedApiKey,
} from './support/console-harness';

// Sign-in and sign-out in real Chromium, on the console the gateway serves on 18080 (files and API on
// one origin): no key goes to sign-in, a refused key shows the API's code, the key lives in
// sessionStorage only and sign-out forgets it.
describe('console: sign-in', () => {
  const b = browserForTests();

  it('sends a visitor without a key to sign-in, keeping where they were going', async () => {
    await b.page.goto('/jobs?status=failed');
    await b.page.waitForURL((url) => url.pathname === '/sign-in');
    expect(new URL(b.page.url()).searchParams.get('next')).toBe('/jobs?status=failed');
    // The sign-in page is a lazy chunk: wait for its heading rather than asking once.
    await b.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await captureScreens(b.page, 'sign-in');
    await expectNoSeriousA11yViolations(b.page);
  });

  it("shows the API's code for a key it refuses, and keeps nothing", async () => {
    await b.page.getByLabel('API key').fill('tfk_this-key-does-not-exist-0000000000000');
    await b.page.getByRole('button', { name: 'Sign in' }).click();
    await expect(b.page.getByTestId('error-code').textContent()).resolves.toBe('INVALID_API_KEY');
    expect(await storedApiKey(b.page)).toBeNull();
    await captureScreens(b.page, 'sign-in-refused');
    await expectNoSeriousA11yViolations(b.page);
  });

  it('signs in with a key, shows its tenant and scopes, and goes where the visitor was going', async () => {
    await signIn(b.page, apiKey, '/jobs?status=failed');
    expect(new URL(b.page.url()).pathname + new URL(b.page.url()).search).toBe('/jobs?status=failed');
    await expect(b.page.getByTestId('session-tenant').textContent()).resolves.toBe('default');
    await expect(b.page.getByTestId('session-scopes').textContent()).resolves.toContain('admin');
    await expect(b.page.getByRole('link', { name: 'Admin' }).isVisible()).resolves.toBe(true);
    expect(await storedApiKey(b.page)).toBe(apiKey);
    // A reload keeps the tab's session.
    await b.page.reload();
    await b.page.getByTestId('session-tenant').waitFor();
  });

  it('signs out: the key is forgotten and the pages ask for it again', async () => {
    await b.page.getByRole('button', { name: 'Sign out' }).click();
    await b.page.waitForURL((url) => url.pathname === '/sign-in');
    expect(await storedApiKey(b.page)).toBeNull();
    await b.page.goto('/jobs');
    await b.page.waitForURL((url) => url.pathname === '/sign-in');
  });
});
