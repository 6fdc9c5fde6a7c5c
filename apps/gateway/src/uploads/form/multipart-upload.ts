import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { ObjectStorage, StoredObject } from '@tf/storage';
import busboy, { Busboy } from 'busboy';
import type { IncomingMessage } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { ApiError } from '../../http/api-error';
import { sourceContentType } from './source-object';

interface UploadTarget {
  bucket: string;
  key: string;
}

export interface ReceiveOptions<T> {
  /** Name of the form field that carries the file. */
  fileField: string;
  /** Largest file accepted; one byte more answers 413 UPLOAD_TOO_LARGE. */
  maxBytes: number;
  /** Where to store the file, decided from its name when it starts. */
  targetFor: (filename: string) => UploadTarget;
  /**
   * Validates the text fields; throws an ApiError. Runs as fields arrive (a form already known to
   * be bad stops storing at once) and once more on the complete form, whose result is returned.
   */
  parseFields: (fields: Record<string, string>) => T;
}

export interface ReceivedUpload<T> {
  fields: T;
  filename: string;
  contentType: string;
  stored: StoredObject;
}

/**
 * What one form may hold. Going over a limit answers 400 with its code: busboy would otherwise drop
 * the rest silently (a webhook_url past the 32nd field was lost, a file after the 8th never seen).
 * One file: a second file part is refused, whatever its name.
 */
export const FORM_LIMITS = { fields: 32, fieldSize: 64 * 1024, files: 1, headerPairs: 200 };

const OVER_LIMIT: Record<'fieldsLimit' | 'filesLimit', (fileField: string) => ApiError> = {
  fieldsLimit: () => ApiError.badRequest('TOO_MANY_FIELDS', `The form has more than ${FORM_LIMITS.fields} text fields`),
  filesLimit: (fileField) => ApiError.badRequest('MULTIPLE_FILES', `Send exactly one file, in "${fileField}"`),
};

const malformed = (e: unknown) =>
  ApiError.badRequest('MALFORMED_MULTIPART', `Could not read the multipart body: ${(e as Error)?.message ?? e}`);

/**
 * Reads one multipart/form-data request and streams its file part straight into object storage:
 * chunks go on to S3 as they arrive (minio uploads in parts), so memory stays bounded whatever the
 * file size. Text fields may come before or after the file. On any failure (bad field, too large,
 * client gone, storage error) the stored or partial object is deleted before the error is thrown.
 */
@Injectable()
export class MultipartUploadReceiver {
  private readonly logger = new Logger(MultipartUploadReceiver.name);

  constructor(private readonly storage: ObjectStorage) {}

  async receive<T>(req: IncomingMessage, options: ReceiveOptions<T>): Promise<ReceivedUpload<T>> {
    const contentType = req.headers['content-type'] ?? '';
    if (!/^multipart\/form-data\s*;/i.test(contentType)) {
      throw new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'NOT_MULTIPART', 'Send the upload as multipart/form-data');
    }
    let parser: Busboy;
    try {
      // One byte over maxBytes is enough to tell "too large"; busboy flags the file as truncated then.
      // Names are UTF-8 (as browsers send them): busboy would read a plain filename="…" as latin1.
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { ...FORM_LIMITS, fileSize: options.maxBytes },
      });
    } catch (e) {
      throw malformed(e);
    }
    const upload = new FileUpload(this.storage, options);
    await upload.consume(req, parser);
    return upload.result();
  }
}

/** The state of one upload while its request is read. */
class FileUpload<T> {
  /** No prototype: a field named __proto__ or constructor is just a (refused) name. */
  private readonly fields: Record<string, string> = Object.create(null) as Record<string, string>;
  private failure: unknown = null;
  private fileSeen = false;
  private filename = '';
  private contentType = 'application/octet-stream';
  private target?: UploadTarget;
  private fileStream?: Readable;
  /** What minio reads from; ended early (not destroyed: minio would hang) when the upload fails. */
  private body?: PassThrough;
  private storing?: Promise<StoredObject | null>;
  private bytes = 0;
  private stopReading: () => void = () => undefined;

  constructor(
    private readonly storage: ObjectStorage,
    private readonly options: ReceiveOptions<T>,
  ) {}

  /**
   * Reads the form until its end, or until the first failure: the answer then goes out at once
   * (the rest of the body is not waited for; the filter closes the connection of an unread body).
   */
  consume(req: IncomingMessage, parser: Busboy): Promise<void> {
    return new Promise<void>((resolve) => {
      this.stopReading = resolve;
      parser.on('field', (name, value, info) => this.onField(name, value, info));
      parser.on('file', (name, stream, info) => this.onFile(name, stream, info.filename, info.mimeType));
      for (const [event, error] of Object.entries(OVER_LIMIT))
        parser.on(event, () => this.fail(error(this.options.fileField)));
      parser.on('error', (e) => {
        this.fail(malformed(e));
        req.unpipe(parser);
        req.resume();
        resolve();
      });
      parser.on('close', resolve);
      // The client went away mid-body: nothing more will come, so stop waiting for the form's end.
      const gone = () => {
        if (req.complete) return;
        this.fail(ApiError.badRequest('UPLOAD_ABORTED', 'The request body ended early'));
        parser.destroy();
        resolve();
      };
      req.on('aborted', gone);
      req.on('close', gone);
      req.on('error', gone);
      req.pipe(parser);
    });
  }

  /** The validated form and stored object; or, after deleting what was stored, the first error. */
  async result(): Promise<ReceivedUpload<T>> {
    const stored = (await this.storing) ?? null;
    let fields: T | undefined;
    if (!this.failure) {
      if (!this.fileSeen)
        this.failure = ApiError.badRequest('NO_FILE', `Send the video in the "${this.options.fileField}" field`);
      else if (this.bytes === 0) this.failure = ApiError.badRequest('EMPTY_FILE', 'The uploaded file is empty');
      else this.failure = this.tryFields((f) => (fields = f));
    }
    if (this.failure || !stored) {
      await this.discard();
      throw (
        this.failure ??
        new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'STORAGE_UNAVAILABLE', 'The upload could not be stored')
      );
    }
    return { fields: fields as T, filename: this.filename, contentType: this.contentType, stored };
  }

  /** Deletes the object of a failed upload (complete or partial). */
  async discard(): Promise<void> {
    await this.storing;
    if (this.target) await this.storage.removePrefix(this.target.bucket, this.target.key);
  }

  private tryFields(onOk: (fields: T) => void): unknown {
    try {
      onOk(this.options.parseFields(this.fields));
      return null;
    } catch (e) {
      return e;
    }
  }

  private onField(name: string, value: string, info: { valueTruncated: boolean }): void {
    // (busboy bounds names only in urlencoded bodies; a multipart name is bounded by the header size, and refused unless known.)
    if (info.valueTruncated)
      return this.fail(
        ApiError.badRequest('FIELD_TOO_LARGE', `Field ${name} is longer than ${FORM_LIMITS.fieldSize} bytes`),
      );
    if (name === this.options.fileField)
      return this.fail(ApiError.badRequest('NO_FILE', `"${name}" must be a file part, not a text field`));
    if (Object.hasOwn(this.fields, name))
      return this.fail(ApiError.badRequest('DUPLICATE_FIELD', `Field ${name} is sent more than once`));
    this.fields[name] = value;
    if (!this.failure) this.fail(this.tryFields(() => undefined));
  }

  private onFile(name: string, stream: Readable, filename: string | undefined, mimeType: string | undefined): void {
    stream.on('error', (e) => this.fail(malformed(e)));
    if (name !== this.options.fileField) {
      this.fail(
        ApiError.badRequest(
          'UNKNOWN_FIELD',
          `Unexpected file in field ${JSON.stringify(name)}; send the video in "${this.options.fileField}"`,
        ),
      );
      return void stream.resume();
    }
    this.fileSeen = true;
    this.filename = filename ?? '';
    this.contentType = sourceContentType(mimeType ?? '', this.filename);
    this.fileStream = stream;
    if (!this.failure) this.fail(this.tryFields(() => undefined));
    stream.on('limit', () =>
      this.fail(
        new ApiError(
          HttpStatus.PAYLOAD_TOO_LARGE,
          'UPLOAD_TOO_LARGE',
          `The file exceeds ${this.options.maxBytes} bytes`,
        ),
      ),
    );
    stream.on('data', (chunk: Buffer) => this.onChunk(stream, chunk));
    stream.on('end', () => this.body?.end());
  }

  private onChunk(stream: Readable, chunk: Buffer): void {
    // After a failure the rest of the file is read and dropped, so the form can still be parsed to its end.
    if (this.failure) return;
    this.bytes += chunk.length;
    // Storage starts with the first byte: an empty or rejected-early file never creates an object.
    if (!this.body) this.startStoring();
    if (!this.body!.write(chunk)) {
      stream.pause();
      this.body!.once('drain', () => stream.resume());
    }
  }

  private startStoring(): void {
    this.target = this.options.targetFor(this.filename);
    this.body = new PassThrough();
    const { bucket, key } = this.target;
    // The size hint is the upper bound: minio sizes its parts from it (64 MiB up to 625 GiB) instead
    // of assuming 5 TiB, which would buffer ~550 MiB per part.
    this.storing = this.storage
      .putStream(bucket, key, this.body, this.contentType, this.options.maxBytes)
      .catch((e: unknown) => {
        this.fail(
          new ApiError(
            HttpStatus.SERVICE_UNAVAILABLE,
            'STORAGE_UNAVAILABLE',
            `Could not store the upload: ${(e as Error)?.message ?? e}`,
          ),
        );
        return null;
      });
  }

  /** Records the first failure and stops storing: the partial object is finished, then deleted. */
  private fail(error: unknown): void {
    if (!error || this.failure) return;
    this.failure = error;
    this.body?.end();
    // The file may be paused on back-pressure from a body that will never drain now.
    this.fileStream?.resume();
    this.stopReading();
  }
}
