import { once } from 'node:events';
import { startTsProcess } from '../support/processes';

// Configuration is read and validated one way (@tf/config readEnv): a bad value stops a service at
// start-up, exit code non-zero, with a message naming the variable. It used to run with NaN attempts.
describe('a service started with a bad setting', () => {
  it('exits non-zero at start-up naming the variable and its value (TF_RETRY_MAX_ATTEMPTS=abc)', async () => {
    const transcoder = startTsProcess('apps/transcoder/src/main.ts', {
      TF_HTTP_PORT: '0',
      TF_RETRY_MAX_ATTEMPTS: 'abc',
    });
    const [code] = (await once(transcoder.child, 'exit')) as [number | null];
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(transcoder.output()).toMatch(
      /start-up failed: invalid configuration: TF_RETRY_MAX_ATTEMPTS must be an integer number.*\(got \\?"abc\\?"\)/,
    );
    // It stopped before serving or consuming anything.
    expect(transcoder.output()).not.toMatch(/joined group|Nest application successfully started/);
  });
});
