// @tf-background-services: runs on the six services of scripts/services.sh (see test/support/background-services.js).
import { randomBytes } from 'node:crypto';
import { ApiError, TranscodeFlowClient } from '@tf/client';
import {
  apiKey,
  browserForTests,
  captureScreens,
  consoleUrl,
  expectNoSeriousA11yViolations,
  signIn,
  storedApiKey,
} from './support/console-harness';

// /admin/keys in real Chromium, signed in with the local platform admin key: a key created for a fresh
// tenant is shown once and works; rotating it shows the new one once and stops the old; revoking the
// new one sends a browser signed in with it back to sign-in.
describe('console: API keys', () => {
  const tenant = `console-keys-${randomBytes(4).toString('hex')}`;
  const name = `e2e reader ${tenant}`;
  const b = browserForTests({ key: apiKey, path: '/admin/keys' });
  let created: string;
  let rotated: string;

  const keyWorks = (key: string) => new TranscodeFlowClient({ apiKey: key }).listJobs();
  const rowsOfName = () => b.page.getByTestId('key-row').filter({ hasText: name });

  beforeAll(async () => {
    await b.page.getByTestId('keys-table').waitFor();
  });

  it('creates a key for another tenant and shows it once; it works; it is not on the page again', async () => {
    await b.page.getByLabel('Name').fill(name);
    await b.page.getByLabel('Tenant', { exact: true }).fill(tenant);
    await b.page.getByRole('checkbox', { name: 'jobs:write' }).uncheck();
    await b.page.getByRole('button', { name: 'Create key' }).click();
    created = (await b.page.getByTestId('shown-once-value').textContent()) ?? '';
    expect(created).toMatch(/^tfk_[A-Za-z0-9_-]{43}$/);
    await expect(keyWorks(created)).resolves.toMatchObject({ jobs: [] });
    // The list moves to the new key's tenant: only its keys.
    const row = rowsOfName();
    await row.waitFor();
    await expect(b.page.getByLabel('Filter by tenant').inputValue()).resolves.toBe(tenant);
    await expect(b.page.getByTestId('key-row').count()).resolves.toBe(1);
    await expect(row.getByTestId('key-state').textContent()).resolves.toBe('active');
    await expect(row.textContent()).resolves.toContain(tenant);
    await expect(row.textContent()).resolves.toContain('jobs:read');
    expect(created.startsWith((await row.getAttribute('data-key-prefix')) ?? '-')).toBe(true);
    await captureScreens(b.page, 'admin-keys-created');
    await expectNoSeriousA11yViolations(b.page);

    await b.page.getByRole('button', { name: 'Done' }).click();
    await b.page.reload();
    await b.page.getByLabel('Filter by tenant').fill(tenant);
    await b.page.getByRole('button', { name: 'Show' }).click();
    await rowsOfName().waitFor();
    expect(await b.page.content()).not.toContain(created);
  });

  it('rotates it: the new key is shown once and works, the old one is refused at once', async () => {
    const row = rowsOfName();
    const prefix = (await row.getAttribute('data-key-prefix'))!;
    await row.getByRole('button', { name: `Rotate ${prefix}` }).click();
    await b.page.getByTestId('shown-once').getByText(`replacing ${prefix}`).waitFor();
    rotated = (await b.page.getByTestId('shown-once-value').textContent()) ?? '';
    expect(rotated).toMatch(/^tfk_/);
    expect(rotated).not.toBe(created);
    await expect(keyWorks(rotated)).resolves.toMatchObject({ jobs: [] });
    await expect(keyWorks(created)).rejects.toMatchObject({ status: 401 });
    await expect(keyWorks(created)).rejects.toBeInstanceOf(ApiError);
    await b.page
      .locator(`[data-testid="key-row"][data-key-prefix="${prefix}"] [data-testid="key-state"]`)
      .getByText('revoked')
      .waitFor();
  });

  it('revokes the new key: refused by the API, and a browser signed in with it is sent back to sign-in', async () => {
    const other = await b.browser.newContext({ baseURL: consoleUrl });
    try {
      const holder = await other.newPage();
      await signIn(holder, rotated, '/jobs');
      await expect(holder.getByTestId('session-tenant').textContent()).resolves.toBe(tenant);

      const row = rowsOfName().filter({ has: b.page.getByTestId('key-state').getByText('active') });
      const prefix = (await row.getAttribute('data-key-prefix'))!;
      expect(rotated.startsWith(prefix)).toBe(true);
      await row.getByRole('button', { name: `Revoke ${prefix}` }).click();
      await row.getByRole('button', { name: 'Confirm revoke' }).click();
      await b.page
        .locator(`[data-testid="key-row"][data-key-prefix="${prefix}"] [data-testid="key-state"]`)
        .getByText('revoked')
        .waitFor();
      await expect(keyWorks(rotated)).rejects.toMatchObject({ status: 401 });
      await captureScreens(b.page, 'admin-keys-revoked');
      await expectNoSeriousA11yViolations(b.page);

      // The other browser's next request is refused: the console forgets the key and asks for one.
      await holder.goto('/jobs');
      await holder.waitForURL((url) => url.pathname === '/sign-in');
      await holder.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect(await storedApiKey(holder)).toBeNull();
    } finally {
      await other.close();
    }
  });
});
