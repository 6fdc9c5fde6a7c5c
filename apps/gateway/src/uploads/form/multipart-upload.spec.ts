import type { ObjectStorage, StoredObject } from '@tf/storage';
import type { IncomingMessage } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { ApiError } from '../../http/api-error';
import { FORM_LIMITS, MultipartUploadReceiver } from './multipart-upload';

/** Object storage faked at its boundary: what was put (fully read), what was removed. */
class FakeStorage {
  readonly objects = new Map<string, Buffer>();
  readonly removed: string[] = [];
  private onStart!: () => void;
  /** Resolves when the first object starts being stored. */
  readonly started = new Promise<void>((resolve) => (this.onStart = resolve));

  async putStream(bucket: string, key: string, body: Readable, contentType: string): Promise<StoredObject> {
    this.onStart();
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(c as Buffer);
    this.objects.set(key, Buffer.concat(chunks));
    return { bucket, key, bytes: this.objects.get(key)!.length, content_type: contentType };
  }

  async removePrefix(_bucket: string, prefix: string): Promise<number> {
    this.removed.push(prefix);
    return Number(this.objects.delete(prefix));
  }
}

type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer; raw?: boolean };
const BOUNDARY = 'unitboundary';

function formBytes(parts: Part[], end = true): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('filename' in p) {
      chunks.push(
        Buffer.from(
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: video/mp4\r\n\r\n`,
          'utf8',
        ),
        p.content,
        Buffer.from('\r\n'),
      );
    } else {
      chunks.push(
        Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`, 'utf8'),
      );
    }
  }
  if (end) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** A request whose body is written by the test (and may stay open). */
function request(): IncomingMessage & PassThrough {
  const req = new PassThrough() as unknown as IncomingMessage & PassThrough;
  Object.assign(req, { headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, complete: false });
  // As Node's IncomingMessage: complete once the whole body was read.
  req.once('end', () => Object.assign(req, { complete: true }));
  return req;
}

const file = (content = Buffer.from('video bytes'), filename = 'clip.mp4'): Part => ({
  name: 'video_file',
  filename,
  content,
});
const field = (name: string, value: string): Part => ({ name, value });

describe('MultipartUploadReceiver', () => {
  let storage: FakeStorage;
  let receiver: MultipartUploadReceiver;
  /** A permissive form (any field), so that the receiver's own limits show. */
  const receive = (req: IncomingMessage, parseFields: (f: Record<string, string>) => unknown = (f) => ({ ...f })) =>
    receiver.receive(req, {
      fileField: 'video_file',
      maxBytes: 1024,
      targetFor: () => ({ bucket: 'raw', key: 'job/source.mp4' }),
      parseFields,
    });
  const send = async (parts: Part[], parseFields?: (f: Record<string, string>) => unknown) => {
    const req = request();
    req.end(formBytes(parts));
    return receive(req, parseFields);
  };
  const codeOf = async (promise: Promise<unknown>): Promise<string> => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    return (error as ApiError).code;
  };

  beforeEach(() => {
    storage = new FakeStorage();
    receiver = new MultipartUploadReceiver(storage as unknown as ObjectStorage);
  });

  it('stores the file and returns the fields', async () => {
    const upload = await send([field('priority', 'high'), file()]);
    expect(upload.fields).toEqual({ priority: 'high' });
    expect(storage.objects.get('job/source.mp4')?.toString()).toBe('video bytes');
  });

  it('keeps a UTF-8 filename as sent (busboy would read it as latin1)', async () => {
    const upload = await send([file(undefined, 'vidéo été 日本.mp4')]);
    expect(upload.filename).toBe('vidéo été 日本.mp4');
  });

  it('answers TOO_MANY_FIELDS past the field limit instead of dropping the rest (the webhook_url there was lost)', async () => {
    const fields = Array.from({ length: FORM_LIMITS.fields }, (_, i) => field(`f${i}`, 'x'));
    expect(await codeOf(send([...fields, field('webhook_url', 'https://hooks.example.com/x'), file()]))).toBe(
      'TOO_MANY_FIELDS',
    );
    expect(storage.objects.size).toBe(0);
  });

  it('answers MULTIPLE_FILES for a second file part, whatever its name, and UNKNOWN_FIELD for a file in another field', async () => {
    expect(await codeOf(send([file(), { name: 'thumb', filename: 't.jpg', content: Buffer.from('x') }]))).toBe(
      'MULTIPLE_FILES',
    );
    expect(await codeOf(send([{ name: 'other', filename: 'a.mp4', content: Buffer.from('x') }, file()]))).toBe(
      'UNKNOWN_FIELD',
    );
    // Before: with 8 other file parts first, the video was never seen (NO_FILE).
    expect(
      await codeOf(
        send([
          ...Array.from({ length: 8 }, (_, i) => ({ name: `f${i}`, filename: 'x.bin', content: Buffer.from('x') })),
          file(),
        ]),
      ),
    ).toBe('UNKNOWN_FIELD');
  });

  it('answers FIELD_TOO_LARGE, DUPLICATE_FIELD, and NO_FILE for the file sent as text', async () => {
    expect(await codeOf(send([field('webhook_url', 'x'.repeat(FORM_LIMITS.fieldSize + 1)), file()]))).toBe(
      'FIELD_TOO_LARGE',
    );
    expect(await codeOf(send([field('labels', 'a'), field('labels', 'b'), file()]))).toBe('DUPLICATE_FIELD');
    expect(await codeOf(send([field('video_file', 'not a file')]))).toBe('NO_FILE');
    expect(await codeOf(send([field('__proto__', 'x'), field('__proto__', 'y'), file()]))).toBe('DUPLICATE_FIELD');
  });

  it('refuses a bad field sent before the file before storing any byte, and answers while the body is still arriving', async () => {
    const req = request();
    const refuse = (f: Record<string, string>) => {
      if (f.target_resolutions) throw ApiError.badRequest('UNKNOWN_RESOLUTION', 'no');
      return f;
    };
    const result = receive(req, refuse);
    // The field and the start of the file; the rest of the body never comes.
    req.write(formBytes([field('target_resolutions', '999p'), file(Buffer.alloc(512, 1))], false));
    expect(await codeOf(result)).toBe('UNKNOWN_RESOLUTION');
    expect(storage.objects.size).toBe(0);
    req.destroy();
  });

  it('validates fields sent after the file too, and removes the stored object', async () => {
    const refuse = (f: Record<string, string>) => {
      if (f.priority === 'asap') throw ApiError.badRequest('INVALID_PRIORITY', 'no');
      return f;
    };
    const req = request();
    const result = receive(req, refuse);
    req.write(formBytes([file(Buffer.alloc(600, 1))], false).subarray(0, -2));
    await storage.started;
    req.end(Buffer.concat([Buffer.from('\r\n'), formBytes([field('priority', 'asap')])]));
    expect(await codeOf(result)).toBe('INVALID_PRIORITY');
    expect(storage.removed).toEqual(['job/source.mp4']);
    expect(storage.objects.size).toBe(0);
  });
});
