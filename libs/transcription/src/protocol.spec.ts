import { encodeRequest, LineSplitter, parseWorkerLine } from './protocol';

describe('JSON-lines protocol', () => {
  it('encodes one request per line', () => {
    const line = encodeRequest({ id: 7, audio_path: '/a b.wav', language: null });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(JSON.parse(line)).toEqual({ id: 7, audio_path: '/a b.wav', language: null });
  });

  it('classifies ready, fatal, results, errors and junk', () => {
    expect(parseWorkerLine('{"type":"ready","model":"whisper-base","load_seconds":1.2}')).toMatchObject({
      kind: 'ready',
      info: { model: 'whisper-base', load_seconds: 1.2 },
    });
    expect(parseWorkerLine('{"type":"fatal","error":"no model"}')).toEqual({ kind: 'fatal', error: 'no model' });
    expect(
      parseWorkerLine(
        '{"id":3,"ok":true,"language":"en","duration_s":2.5,"segments":[{"start":0,"end":1,"text":"hi"}]}',
      ),
    ).toEqual({
      kind: 'result',
      id: 3,
      result: { language: 'en', duration_s: 2.5, segments: [{ start: 0, end: 1, text: 'hi' }] },
    });
    expect(parseWorkerLine('{"id":4,"ok":false,"error":"bad audio"}')).toEqual({
      kind: 'error',
      id: 4,
      error: 'bad audio',
    });
    expect(parseWorkerLine('{"id":null,"ok":false}')).toEqual({
      kind: 'error',
      id: null,
      error: 'unknown worker error',
    });
    expect(parseWorkerLine('Warning: something').kind).toBe('invalid');
    expect(parseWorkerLine('[1,2]').kind).toBe('invalid');
    expect(parseWorkerLine('{"id":1,"ok":true}').kind).toBe('invalid');
    expect(parseWorkerLine('{"hello":1}').kind).toBe('invalid');
  });

  it('splits chunks into lines, across chunk and multi-byte boundaries', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('{"a":"é"}\n\n{"b":2}\r\n{"c":', 'utf8');
    const cut = bytes.indexOf(0xa9); // second byte of é
    expect(s.push(bytes.subarray(0, cut))).toEqual([]);
    expect(s.push(bytes.subarray(cut))).toEqual(['{"a":"é"}', '{"b":2}']);
    expect(s.push('3}\n')).toEqual(['{"c":3}']);
    expect(s.push('tail')).toEqual([]);
    expect(s.flush()).toEqual(['tail']);
    expect(s.flush()).toEqual([]);
  });
});
