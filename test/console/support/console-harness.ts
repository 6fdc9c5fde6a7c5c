// What every console browser test needs: the background services (with the gateway's console
// listener), the local admin key, the browser helpers.
export { apiKey, client, ensureServicesUp } from '../../pipeline/pipeline-harness';
export {
  captureScreens,
  consoleUrl,
  expectNoSeriousA11yViolations,
  openBrowser,
  screensDir,
  signIn,
  storedApiKey,
} from './browser';
export type { OpenBrowser } from './browser';
