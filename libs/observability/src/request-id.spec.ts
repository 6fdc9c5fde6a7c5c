import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { createJsonLogger } from './logger';
import { MAX_REQUEST_ID_LENGTH, acceptedRequestId, requestIdMiddleware, requestIdOf } from './request-id';

/** Runs the middleware on a request with these headers; `then` runs where the next middleware would. */
function handle(headers: Record<string, string | string[]>, then: () => void = () => undefined) {
  const req = { headers } as unknown as IncomingMessage;
  const answered: Record<string, string> = {};
  const res = { setHeader: (name: string, value: string) => (answered[name] = value) } as unknown as ServerResponse;
  requestIdMiddleware(req, res, then);
  return { req, header: answered['X-Request-Id'] };
}

describe('X-Request-Id', () => {
  it("keeps a client's id of safe characters and bounded length", () => {
    for (const id of ['abc', 'req-42', '5b0c2a4e-8f1d-4c3e-9a57-2f1e0b6d7c81', 'a.b:c_d+e=/f@g', 'x'.repeat(128)])
      expect(acceptedRequestId(id)).toBe(id);
  });

  it('refuses an id that is empty, too long, repeated or carries unsafe characters', () => {
    const unsafe = ['', 'x'.repeat(MAX_REQUEST_ID_LENGTH + 1), 'two words', 'a\nb', 'a"b', '<script>', 'é', 'a,b'];
    for (const id of unsafe) expect(acceptedRequestId(id)).toBeNull();
    expect(acceptedRequestId(['a', 'b'])).toBeNull();
    expect(acceptedRequestId(undefined)).toBeNull();
  });

  it("answers the client's id, or a generated UUID in place of a missing or unsafe one", () => {
    expect(handle({ 'x-request-id': 'client-1' }).header).toBe('client-1');
    const generated = handle({});
    expect(generated.header).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(requestIdOf(generated.req)).toBe(generated.header);
    const replaced = handle({ 'x-request-id': 'x'.repeat(500) });
    expect(replaced.header).toMatch(/^[0-9a-f-]{36}$/);
    expect(handle({}).header).not.toBe(generated.header);
  });

  it('is on every log line written while the request is handled, awaited work included', async () => {
    const chunks: string[] = [];
    const logger = createJsonLogger('test', new Writable({ write: (c, _e, done) => (chunks.push(String(c)), done()) }));
    let handled!: Promise<void>;
    handle({ 'x-request-id': 'req-7' }, () => {
      logger.info('first');
      handled = (async () => {
        await new Promise((resolve) => setImmediate(resolve));
        logger.warn('after a turn of the event loop');
      })();
    });
    await handled;
    logger.info('another request');
    const lines = chunks.map((c) => JSON.parse(c) as { msg: string; request_id?: string });
    expect(lines.map((l) => [l.msg, l.request_id])).toEqual([
      ['first', 'req-7'],
      ['after a turn of the event loop', 'req-7'],
      ['another request', undefined],
    ]);
  });
});
