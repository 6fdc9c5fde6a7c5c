import { ExpressAdapter } from '@nestjs/platform-express';
import { JsonReplyExpressAdapter, immutableJsonBody } from './json-reply-adapter';

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

  it('serializes a body declared immutable once, and every other body at each reply', () => {
    const serializations = { kept: 0, plain: 0 };
    const kept = immutableJsonBody({ toJSON: () => (serializations.kept++, { name: 'café' }) });
    const plain = { toJSON: () => (serializations.plain++, { name: 'café' }) };
    const answers = [kept, kept, plain, plain].map((body) => {
      const res = fakeResponse();
      adapter.reply(res, body);
      return [res.written[0], res.headers.get('content-length')];
    });
    expect(serializations).toEqual({ kept: 1, plain: 2 });
    expect(new Set(answers.map((a) => a.join(' ')))).toEqual(new Set(['{"name":"café"} 16']));
  });

  it('keeps the JSON content type a handler set', () => {
    const res = fakeResponse({ 'Content-Type': 'application/json; charset=utf-8' });
    adapter.reply(res, { ok: true });
    expect(res.written).toEqual(['{"ok":true}']);
  });

  it.each([
    ['a text answer', { 'Content-Type': 'text/plain' }, { ok: true }, 200],
    ['another charset', { 'Content-Type': 'application/json; charset=iso-8859-1' }, { ok: true }, 200],
    ['a string body', {}, 'plain text', 200],
    ['an Error', {}, new Error('x'), 200],
    ['no body', {}, undefined, 200],
    ['a body whose toJSON answers undefined', {}, { toJSON: () => undefined }, 200],
    ['a 204 (no content)', {}, {}, 204],
    ['a 205', {}, {}, 205],
    ['a 304', {}, {}, 304],
  ])('leaves %s to Express', (_, headers, body, status) => {
    const express = jest.spyOn(ExpressAdapter.prototype, 'reply').mockReturnValue(undefined);
    const res = fakeResponse(headers as Record<string, string>);
    adapter.reply(res, body, status);
    expect(express).toHaveBeenCalledWith(res, body, status);
    expect(res.written).toEqual([]);
  });

  it('leaves a 204 set before the handler (@HttpCode) to Express too', () => {
    const express = jest.spyOn(ExpressAdapter.prototype, 'reply').mockReturnValue(undefined);
    const res = fakeResponse();
    res.statusCode = 204;
    adapter.reply(res, {});
    expect(express).toHaveBeenCalled();
  });
});
