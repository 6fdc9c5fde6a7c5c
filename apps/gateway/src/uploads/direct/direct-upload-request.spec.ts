import { ApiError } from '../../http/api-error';
import { parseDirectUploadRequest as parseWithPolicy } from './direct-upload-request';

const LOCAL = { allowPrivateNetworks: true };
const parseDirectUploadRequest = (body: unknown, maxBytes: number) => parseWithPolicy(body, maxBytes, LOCAL);

const MAX = 1000;
const codeOf = (body: unknown): string => {
  try {
    parseDirectUploadRequest(body, MAX);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).code;
  }
  throw new Error('expected an ApiError');
};

describe('parseDirectUploadRequest', () => {
  it('answers 400 UNKNOWN_FIELD for a property it does not know (a typo must not become the default)', () => {
    expect(codeOf({ filename: 'a.mp4', bytes: 10, target_resolution: ['1080p'] })).toBe('UNKNOWN_FIELD');
    expect(() => parseDirectUploadRequest({ filename: 'a.mp4', bytes: 10, webhookUrl: 'https://x.example/h' }, MAX)).toThrow(/did you mean "webhook_url"/);
  });

  it('takes the file facts and fills in the job defaults like the form upload', () => {
    expect(parseDirectUploadRequest({ filename: 'clip.MP4', bytes: 10 }, MAX)).toEqual({
      filename: 'clip.MP4',
      contentType: 'video/mp4',
      bytes: 10,
      fields: { target_resolutions: ['360p', '720p'], enable_hls: true, enable_transcription: true, webhook_url: null, priority: 'normal', language: null },
    });
  });

  it('accepts JSON types for the job fields (arrays, booleans) and validates them with the form rules', () => {
    const r = parseDirectUploadRequest(
      { filename: 'a.mov', bytes: 5, content_type: 'video/quicktime', target_resolutions: ['720p', '360p'], enable_hls: false, enable_transcription: 'false', priority: 'HIGH', language: 'de', webhook_url: 'https://h.example/x' },
      MAX,
    );
    expect(r.contentType).toBe('video/quicktime');
    expect(r.fields).toEqual({ target_resolutions: ['360p', '720p'], enable_hls: false, enable_transcription: false, webhook_url: 'https://h.example/x', priority: 'high', language: 'de' });
    expect(codeOf({ filename: 'a.mp4', bytes: 5, target_resolutions: ['999p'] })).toBe('UNKNOWN_RESOLUTION');
    expect(codeOf({ filename: 'a.mp4', bytes: 5, enable_hls: 'maybe' })).toBe('INVALID_BOOLEAN');
    expect(codeOf({ filename: 'a.mp4', bytes: 5, webhook_url: 'ftp://x' })).toBe('INVALID_WEBHOOK_URL');
    expect(codeOf({ filename: 'a.mp4', bytes: 5, priority: 'urgent' })).toBe('INVALID_PRIORITY');
    expect(codeOf({ filename: 'a.mp4', bytes: 5, language: 'english' })).toBe('INVALID_LANGUAGE');
  });

  it('refuses bad file facts', () => {
    expect(codeOf(null)).toBe('INVALID_BODY');
    expect(codeOf([])).toBe('INVALID_BODY');
    expect(codeOf({ bytes: 5 })).toBe('INVALID_FILENAME');
    expect(codeOf({ filename: '  ', bytes: 5 })).toBe('INVALID_FILENAME');
    expect(codeOf({ filename: 'a.mp4' })).toBe('INVALID_SIZE');
    expect(codeOf({ filename: 'a.mp4', bytes: '5' })).toBe('INVALID_SIZE');
    expect(codeOf({ filename: 'a.mp4', bytes: 1.5 })).toBe('INVALID_SIZE');
    expect(codeOf({ filename: 'a.mp4', bytes: -1 })).toBe('INVALID_SIZE');
    expect(codeOf({ filename: 'a.mp4', bytes: 0 })).toBe('EMPTY_FILE');
    expect(codeOf({ filename: 'a.mp4', bytes: 5, content_type: 'not a type' })).toBe('INVALID_CONTENT_TYPE');
  });

  it('refuses a declared size over the limit with 413 UPLOAD_TOO_LARGE', () => {
    try {
      parseDirectUploadRequest({ filename: 'a.mp4', bytes: MAX + 1 }, MAX);
      throw new Error('expected UPLOAD_TOO_LARGE');
    } catch (e) {
      expect((e as ApiError).code).toBe('UPLOAD_TOO_LARGE');
      expect((e as ApiError).getStatus()).toBe(413);
    }
    expect(parseDirectUploadRequest({ filename: 'a.mp4', bytes: MAX }, MAX).bytes).toBe(MAX);
  });
});

describe('webhook_url of a direct upload', () => {
  it('follows the egress policy like the form upload', () => {
    expect(() => parseWithPolicy({ filename: 'a.mp4', bytes: 10, webhook_url: 'http://192.168.1.10/h' }, 100, { allowPrivateNetworks: false })).toThrow(
      expect.objectContaining({ code: 'WEBHOOK_URL_FORBIDDEN' }),
    );
  });
});
