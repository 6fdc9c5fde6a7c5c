import type { EgressPolicy } from '@tf/egress';
import { ApiError } from '../../../http/api-error';
import { apiValidationPipe } from '../../../http/api-validation.pipe';
import { DirectUploadRequest, directUploadRequestOf } from '../direct-upload-request';
import { CreateUploadDto } from './direct-upload.dto';

const LOCAL = { allowPrivateNetworks: true };
const MAX = 1000;

/** The body through the API validation pipe (as REST and GraphQL see it), then the service's reading of it. */
async function parseWithPolicy(body: unknown, maxBytes: number, egress: EgressPolicy): Promise<DirectUploadRequest> {
  const dto = (await apiValidationPipe().transform(body, {
    type: 'body',
    metatype: CreateUploadDto,
  })) as CreateUploadDto;
  return directUploadRequestOf(dto, maxBytes, egress);
}
const parseDirectUploadRequest = (body: unknown, maxBytes: number) => parseWithPolicy(body, maxBytes, LOCAL);

const codeOf = async (body: unknown): Promise<string> => {
  try {
    await parseDirectUploadRequest(body, MAX);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).code;
  }
  throw new Error('expected an ApiError');
};

describe('CreateUploadDto (POST /api/v1/uploads, createUpload)', () => {
  it('answers 400 UNKNOWN_FIELD for a property it does not know (a typo must not become the default)', async () => {
    expect(await codeOf({ filename: 'a.mp4', bytes: 10, target_resolution: ['1080p'] })).toBe('UNKNOWN_FIELD');
    await expect(
      parseDirectUploadRequest({ filename: 'a.mp4', bytes: 10, webhookUrl: 'https://x.example/h' }, MAX),
    ).rejects.toThrow(/did you mean "webhook_url"/);
    await expect(
      parseDirectUploadRequest({ filename: 'a.mp4', bytes: 10, webhookUrl: 'https://x.example/h' }, MAX),
    ).rejects.toThrow(
      /; the fields are filename, bytes, content_type, target_resolutions, enable_hls, enable_transcription, webhook_url, priority, language, labels$/,
    );
  });

  it('takes the file facts and fills in the job defaults like the form upload', async () => {
    expect(await parseDirectUploadRequest({ filename: 'clip.MP4', bytes: 10 }, MAX)).toEqual({
      filename: 'clip.MP4',
      contentType: 'video/mp4',
      bytes: 10,
      fields: {
        target_resolutions: ['360p', '720p'],
        enable_hls: true,
        enable_transcription: true,
        webhook_url: null,
        priority: 'normal',
        language: null,
      },
      labels: [],
    });
    expect((await parseDirectUploadRequest({ filename: '  clip.mp4 ', bytes: 10 }, MAX)).filename).toBe('clip.mp4');
  });

  it('accepts JSON types for the job fields (arrays, booleans) and validates them with the form rules', async () => {
    const r = await parseDirectUploadRequest(
      {
        filename: 'a.mov',
        bytes: 5,
        content_type: 'video/quicktime',
        target_resolutions: ['720p', '360p'],
        enable_hls: false,
        enable_transcription: 'false',
        priority: 'HIGH',
        language: 'de',
        webhook_url: 'https://h.example/x',
      },
      MAX,
    );
    expect(r.contentType).toBe('video/quicktime');
    expect(r.fields).toEqual({
      target_resolutions: ['360p', '720p'],
      enable_hls: false,
      enable_transcription: false,
      webhook_url: 'https://h.example/x',
      priority: 'high',
      language: 'de',
    });
    expect(await codeOf({ filename: 'a.mp4', bytes: 5, target_resolutions: ['999p'] })).toBe('UNKNOWN_RESOLUTION');
    expect(await codeOf({ filename: 'a.mp4', bytes: 5, enable_hls: 'maybe' })).toBe('INVALID_BOOLEAN');
    expect(await codeOf({ filename: 'a.mp4', bytes: 5, webhook_url: 'ftp://x' })).toBe('INVALID_WEBHOOK_URL');
    expect(await codeOf({ filename: 'a.mp4', bytes: 5, priority: 'urgent' })).toBe('INVALID_PRIORITY');
    expect(await codeOf({ filename: 'a.mp4', bytes: 5, language: 'english' })).toBe('INVALID_LANGUAGE');
  });

  it("treats null job fields (GraphQL's explicit nulls) as absent", async () => {
    expect(
      (
        await parseDirectUploadRequest(
          {
            filename: 'a.mp4',
            bytes: 5,
            content_type: null,
            target_resolutions: null,
            enable_hls: null,
            priority: null,
          },
          MAX,
        )
      ).fields,
    ).toMatchObject({
      target_resolutions: ['360p', '720p'],
      enable_hls: true,
      priority: 'normal',
    });
  });

  it('refuses bad file facts', async () => {
    expect(await codeOf(null)).toBe('INVALID_BODY');
    expect(await codeOf(undefined)).toBe('INVALID_BODY');
    expect(await codeOf([])).toBe('INVALID_BODY');
    expect(await codeOf({ bytes: 5 })).toBe('INVALID_FILENAME');
    expect(await codeOf({ filename: '  ', bytes: 5 })).toBe('INVALID_FILENAME');
    expect(await codeOf({ filename: 'x'.repeat(1025), bytes: 5 })).toBe('INVALID_FILENAME');
    expect(await codeOf({ filename: 'a.mp4' })).toBe('INVALID_SIZE');
    expect(await codeOf({ filename: 'a.mp4', bytes: '5' })).toBe('INVALID_SIZE');
    expect(await codeOf({ filename: 'a.mp4', bytes: 1.5 })).toBe('INVALID_SIZE');
    expect(await codeOf({ filename: 'a.mp4', bytes: -1 })).toBe('INVALID_SIZE');
    expect(await codeOf({ filename: 'a.mp4', bytes: 2 ** 60 })).toBe('INVALID_SIZE');
    expect(await codeOf({ filename: 'a.mp4', bytes: 0 })).toBe('EMPTY_FILE');
    expect(await codeOf({ filename: 'a.mp4', bytes: 5, content_type: 'not a type' })).toBe('INVALID_CONTENT_TYPE');
    expect(await codeOf({ filename: 'a.mp4', bytes: 5, content_type: 7 })).toBe('INVALID_CONTENT_TYPE');
  });

  it('refuses a declared size over the limit with 413 UPLOAD_TOO_LARGE', async () => {
    try {
      await parseDirectUploadRequest({ filename: 'a.mp4', bytes: MAX + 1 }, MAX);
      throw new Error('expected UPLOAD_TOO_LARGE');
    } catch (e) {
      expect((e as ApiError).code).toBe('UPLOAD_TOO_LARGE');
      expect((e as ApiError).getStatus()).toBe(413);
    }
    expect((await parseDirectUploadRequest({ filename: 'a.mp4', bytes: MAX }, MAX)).bytes).toBe(MAX);
  });
});

describe('labels of a direct upload', () => {
  it("takes a JSON list or the form's comma-separated text, trimmed, blanks and duplicates dropped, order kept", async () => {
    const labelsOf = async (labels: unknown) =>
      (await parseDirectUploadRequest({ filename: 'a.mp4', bytes: 5, labels }, MAX)).labels;
    expect(await labelsOf(['campaign-42', ' draft ', 'campaign-42'])).toEqual(['campaign-42', 'draft']);
    expect(await labelsOf('b,a,,b')).toEqual(['b', 'a']);
    expect(await labelsOf(null)).toEqual([]);
    expect(await labelsOf([])).toEqual([]);
  });

  it('answers 400 INVALID_LABEL for a label the job list could never filter by, or too many', async () => {
    expect(await codeOf({ filename: 'a.mp4', bytes: 5, labels: ['ok', 'not ok'] })).toBe('INVALID_LABEL');
    expect(await codeOf({ filename: 'a.mp4', bytes: 5, labels: ['-dash-first'] })).toBe('INVALID_LABEL');
    expect(await codeOf({ filename: 'a.mp4', bytes: 5, labels: 'x'.repeat(65) })).toBe('INVALID_LABEL');
    const many = Array.from({ length: 21 }, (_, i) => `l${i}`);
    await expect(parseDirectUploadRequest({ filename: 'a.mp4', bytes: 5, labels: many }, MAX)).rejects.toThrow(
      /at most 20 labels/,
    );
  });
});

describe('webhook_url of a direct upload', () => {
  it('follows the egress policy like the form upload', async () => {
    await expect(
      parseWithPolicy({ filename: 'a.mp4', bytes: 10, webhook_url: 'http://192.168.1.10/h' }, 100, {
        allowPrivateNetworks: false,
      }),
    ).rejects.toThrow(expect.objectContaining({ code: 'WEBHOOK_URL_FORBIDDEN' }));
  });
});
