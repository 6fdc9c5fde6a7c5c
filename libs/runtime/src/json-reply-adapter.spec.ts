import { ExpressAdapter } from '@nestjs/platform-express';
import { JsonReplyExpressAdapter } from './json-reply-adapter';

/** The part of a ServerResponse the adapter's own path uses. */
function fakeResponse(headers: Record<string, string> = {}) {
  const set = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    statusCode: 200,
    written: [] as string[],
    getHeader: (name: string) => set.get(name.toLowerCase()),
    hasHeader: (name: string) => set.has(name.toLowerCase()),
    setHeader: (name: string, value: string | number) => void set.set(name.toLowerCase(), String(value)),
    end(text: string) {
      this.written.push(text);
    },
    headers: set,
  };
}

describe('JsonReplyExpressAdapter', () => {
  const adapter = new JsonReplyExpressAdapter();
  afterEach(() => jest.restoreAllMocks());

  it('answers a JSON body in one write of its text, with its byte length and no ETag', () => {
    const res = fakeResponse();
    adapter.reply(res, { name: 'café', n: [1, 2] }, 201);
    expect(res.written).toEqual(['{"name":"café","n":[1,2]}']);
    expect(res.statusCode).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength('{"name":"café","n":[1,2]}')));
    expect(res.headers.has('etag')).toBe(false);
  });

  it('keeps the JSON content type a handler set', () => {
    const res = fakeResponse({ 'Content-Type': 'application/json; charset=utf-8' });
    adapter.reply(res, { ok: true });
    expect(res.written).toEqual(['{"ok":true}']);
  });

  it.each([
    ['a text answer', { 'Content-Type': 'text/plain' }, { ok: true }],
    ['a string body', {}, 'plain text'],
    ['an Error', {}, new Error('x')],
    ['no body', {}, undefined],
  ])('leaves %s to Express', (_, headers, body) => {
    const express = jest.spyOn(ExpressAdapter.prototype, 'reply').mockReturnValue(undefined);
    const res = fakeResponse(headers as Record<string, string>);
    adapter.reply(res, body, 200);
    expect(express).toHaveBeenCalledWith(res, body, 200);
    expect(res.written).toEqual([]);
  });
});
