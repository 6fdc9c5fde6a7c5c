import { ApiError } from '../../http/api-error';
import { parseUploadFields as parseWithPolicy, parseUploadForm } from './upload-fields';

/** The local stack's policy (receivers on 127.0.0.1); the forbidden cases below use the deployment's. */
const LOCAL = { allowPrivateNetworks: true };
const DEPLOYED = { allowPrivateNetworks: false };
const parseUploadFields = (fields: Record<string, string>) => parseWithPolicy(fields, LOCAL);

const codeOf = (fields: Record<string, string>): string => {
  try {
    parseUploadFields(fields);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).code;
  }
  throw new Error('expected a validation error');
};

describe('parseUploadFields', () => {
  it('fills in the defaults for an empty form', () => {
    expect(parseUploadFields({})).toEqual({
      target_resolutions: ['360p', '720p'],
      enable_hls: true,
      enable_transcription: true,
      webhook_url: null,
      priority: 'normal',
      language: null,
    });
  });

  it('takes every field, normalising case, spaces, order and duplicates', () => {
    expect(
      parseUploadFields({
        target_resolutions: ' 1080P, 360p,360p ',
        enable_hls: 'FALSE',
        enable_transcription: '0',
        webhook_url: 'https://hooks.example.com/tf?x=1',
        priority: 'High',
        language: 'DE',
      }),
    ).toEqual({
      target_resolutions: ['360p', '1080p'],
      enable_hls: false,
      enable_transcription: false,
      webhook_url: 'https://hooks.example.com/tf?x=1',
      priority: 'high',
      language: 'de',
    });
  });

  it('treats blank fields as absent and ignores unknown ones', () => {
    expect(
      parseUploadFields({ webhook_url: '  ', language: '', priority: '', target_resolutions: '', extra: 'x' }),
    ).toMatchObject({
      webhook_url: null,
      language: null,
      priority: 'normal',
      target_resolutions: ['360p', '720p'],
    });
  });

  it('accepts local webhook hosts (no TLD) over http', () => {
    expect(parseUploadFields({ webhook_url: 'http://127.0.0.1:8080/hook' }).webhook_url).toBe(
      'http://127.0.0.1:8080/hook',
    );
    expect(parseUploadFields({ webhook_url: 'http://localhost:3000/x' }).webhook_url).toBe('http://localhost:3000/x');
  });

  it.each([
    [{ target_resolutions: '360p,999p' }, 'UNKNOWN_RESOLUTION'],
    [{ target_resolutions: ',' }, 'UNKNOWN_RESOLUTION'],
    [{ webhook_url: 'ftp://example.com/x' }, 'INVALID_WEBHOOK_URL'],
    [{ webhook_url: 'not a url' }, 'INVALID_WEBHOOK_URL'],
    [{ webhook_url: 'example.com/hook' }, 'INVALID_WEBHOOK_URL'],
    [{ priority: 'urgent' }, 'INVALID_PRIORITY'],
    [{ language: 'english' }, 'INVALID_LANGUAGE'],
    [{ language: 'xx' }, 'INVALID_LANGUAGE'],
    [{ enable_hls: 'maybe' }, 'INVALID_BOOLEAN'],
    [{ enable_transcription: 'yes please' }, 'INVALID_BOOLEAN'],
  ])('%p → %s', (fields, code) => {
    expect(codeOf(fields as Record<string, string>)).toBe(code);
  });

  it('names the unknown resolution in the message', () => {
    expect(() => parseUploadFields({ target_resolutions: '4k' })).toThrow(/Unknown resolution "4k"/);
  });
});

describe('parseUploadForm', () => {
  it('takes the job fields and labels', () => {
    expect(parseUploadForm({ target_resolutions: '1080p', labels: 'a,b' }, LOCAL)).toMatchObject({
      request: { target_resolutions: ['1080p'] },
      labels: ['a', 'b'],
    });
  });

  it('answers 400 UNKNOWN_FIELD naming an unknown field and the field it probably meant, instead of the default ladder', () => {
    let error: unknown;
    try {
      parseUploadForm({ target_resolution: '1080p' }, LOCAL);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('UNKNOWN_FIELD');
    expect((error as ApiError).message).toMatch(/"target_resolution" \(did you mean "target_resolutions"\?\)/);
    expect(() => parseUploadForm({ csrf_token: 'x' }, LOCAL)).toThrow(/Unknown field "csrf_token"; the fields are/);
  });
});

describe('webhook_url inside the platform network', () => {
  it('is refused with 400 WEBHOOK_URL_FORBIDDEN when private networks are not allowed', () => {
    for (const url of [
      'http://127.0.0.1:9000/h',
      'http://localhost/h',
      'http://169.254.169.254/latest',
      'http://[::1]/h',
      'http://10.1.2.3/h',
    ]) {
      let error: unknown;
      try {
        parseWithPolicy({ webhook_url: url }, DEPLOYED);
      } catch (e) {
        error = e;
      }
      expect([url, (error as ApiError)?.getStatus?.(), (error as ApiError)?.code]).toEqual([
        url,
        400,
        'WEBHOOK_URL_FORBIDDEN',
      ]);
    }
    expect(parseWithPolicy({ webhook_url: 'https://hooks.example.com/h' }, DEPLOYED).webhook_url).toBe(
      'https://hooks.example.com/h',
    );
    expect(parseWithPolicy({ webhook_url: 'http://127.0.0.1:9000/h' }, LOCAL).webhook_url).toBe(
      'http://127.0.0.1:9000/h',
    );
  });
});
