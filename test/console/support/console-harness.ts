// What every console browser test needs: the background services (with the gateway's console
// listener), the local admin key, the browser helpers, and the opening they all share.
import { ensureServicesUp } from '../../pipeline/pipeline-harness';
import { openBrowser, signIn, type OpenBrowser } from './browser';

export { apiKey, client, ensureServicesUp } from '../../pipeline/pipeline-harness';
export { captureScreens, consoleUrl, expectNoSeriousA11yViolations, signIn, storedApiKey } from './browser';

/**
 * The opening of a console browser test, registered in the calling `describe`: before its tests the
 * background services are made sure of and one Chromium page is opened (and signed in with `signInAs.key`
 * on `signInAs.path` when given); after them the browser is closed. The answer is filled in by that
 * `beforeAll` (which runs before the describe's own), so read its fields in hooks and tests only.
 */
export function browserForTests(signInAs?: { key: string; path?: string }): OpenBrowser {
  const opened = {} as OpenBrowser;
  beforeAll(async () => {
    ensureServicesUp();
    Object.assign(opened, await openBrowser());
    if (signInAs) await signIn(opened.page, signInAs.key, signInAs.path);
  });
  afterAll(async () => {
    await opened.close?.();
  });
  return opened;
}
