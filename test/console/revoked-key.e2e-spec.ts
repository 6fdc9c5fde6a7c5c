// @tf-background-services: runs on the six services of scripts/services.sh (see test/support/background-services.js).
import { browserForTests, client, signIn, storedApiKey } from './support/console-harness';
import { keyOfNewTenant } from './support/jobs';
import { waitFor } from '../support/wait';

const LONG_WAIT = { timeout: 120_000 };

// A key revoked while someone uses the console sends them back to sign-in (the key forgotten, the page
// they were on kept as `next`): while a live stream is open (the stream's KEY_REVOKED) and on the next
// request of a quiet page (401 INVALID_API_KEY).
describe('console: a revoked key', () => {
  const admin = client();
  const b = browserForTests();

  const atSignIn = (next: string) => (url: URL) => url.pathname === '/sign-in' && url.searchParams.get('next') === next;

  it('ends the live list and goes to sign-in when the key is revoked', async () => {
    const { key, id } = await keyOfNewTenant(admin, 'console-revoked-live');
    await signIn(b.page, key, '/jobs');
    await b.page.locator('[data-testid="jobs-live"][data-live="true"]').waitFor();
    await admin.revokeKey(id);
    await b.page.waitForURL(atSignIn('/jobs'), LONG_WAIT);
    expect(await storedApiKey(b.page)).toBeNull();
  });

  it("goes to sign-in on a quiet page's next request", async () => {
    const { key, id } = await keyOfNewTenant(admin, 'console-revoked-quiet');
    await signIn(b.page, key, '/upload');
    await admin.revokeKey(id);
    await b.page.getByRole('link', { name: 'Jobs' }).click();
    // The 401 redirect can abort the navigation the click started, which page.waitForURL reports as
    // ERR_ABORTED: read the address itself until it is the sign-in page.
    await waitFor('the sign-in page', async () => atSignIn('/jobs')(new URL(b.page.url())), LONG_WAIT.timeout);
    expect(await storedApiKey(b.page)).toBeNull();
    // Signing in again with the revoked key is refused with the API's code.
    await b.page.getByLabel('API key').fill(key);
    await b.page.getByRole('button', { name: 'Sign in' }).click();
    await expect(b.page.getByTestId('error-code').textContent()).resolves.toBe('INVALID_API_KEY');
  });
});
