import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { stat as statFile } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { attributeFailures, attributeTo } from '@tf/errors';
import { Client } from 'minio';
import { Buckets, createPublicLinkClient, createS3Client, storageConfig } from './storage-config';
import { StorageTraffic, UNCOUNTED_TRAFFIC } from './storage-metrics';

/** Where an object lives; mirrors the ObjectRef Avro record. */
export interface StoredObject {
  bucket: string;
  key: string;
  bytes: number;
  content_type: string;
}

/** One part of an unfinished multipart upload, as S3 lists it. */
export interface UploadedPart {
  part_number: number;
  etag: string;
  bytes: number;
}

/** A part named by a client completing a multipart upload. */
export interface PartToComplete {
  part_number: number;
  etag: string;
}

/** What HEAD says about an object. */
export interface ObjectInfo {
  bytes: number;
  etag: string;
  content_type: string;
}

/** One bucket CORS rule (S3's CORSRule). */
export interface CorsRule {
  allowedOrigins: string[];
  allowedMethods: Array<'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE'>;
  allowedHeaders?: string[];
  exposeHeaders?: string[];
  maxAgeSeconds?: number;
}

/** The S3 error code of a failed call (NoSuchUpload, InvalidPart, NotFound...), if it was one. */
export const s3ErrorCode = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** minio's low-level multipart calls; listParts and makeRequestAsync are not in its public typings. */
interface MinioInternals {
  initiateNewMultipartUpload(bucket: string, key: string, headers: Record<string, string>): Promise<string>;
  listParts(
    bucket: string,
    key: string,
    uploadId: string,
  ): Promise<Array<{ part: number; etag: string; size: number }>>;
  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: Array<{ part: number; etag: string }>,
  ): Promise<{ etag: string }>;
  abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void>;
  makeRequestAsync(
    options: { method: string; bucketName: string; query: string; headers?: Record<string, string> },
    payload: string,
    codes: number[],
  ): Promise<NodeJS.ReadableStream>;
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Bodies up to this size are stored with one PUT. Streamed with an unknown length, minio would make any
 * body a multipart upload (list the object's uploads, initiate, one part, complete: four requests, then a
 * HEAD for the size): ~5× the time of one PUT for a small upload on the local S3. 5 MiB is S3's smallest
 * multipart part: a body under it is one part anyway.
 */
export const SINGLE_PUT_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Reads `body` until it ends or passes `limit` bytes: `rest` is undefined when it ended (`head` is all of it),
 * else a stream of the whole body (the head read so far, then what follows).
 */
function readHead(body: Readable, limit: number): Promise<{ head: Buffer; rest?: Readable }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const stop = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      bytes += chunk.length;
      if (bytes <= limit) return;
      body.pause();
      stop();
      const rest = new PassThrough();
      rest.write(Buffer.concat(chunks, bytes));
      body.on('error', (e) => rest.destroy(e));
      body.pipe(rest);
      resolve({ head: Buffer.alloc(0), rest });
    };
    const onEnd = () => {
      stop();
      resolve({ head: Buffer.concat(chunks, bytes) });
    };
    const onError = (e: Error) => {
      stop();
      reject(e);
    };
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
  });
}

/**
 * S3-compatible object storage behind one small interface, so no caller touches the SDK. The bytes its
 * downloads and uploads move are reported to `traffic` (a stage's: StorageModule.forStage).
 */
export class ObjectStorage {
  readonly client: Client;
  /** Signs the URLs handed to clients, for TF_S3_PUBLIC_ENDPOINT (never calls S3). */
  private readonly linkSigner: Client;

  /** `linkSigner` defaults to `client` when one is given, else to a signer for the configured public endpoint. */
  constructor(
    client?: Client,
    private readonly traffic: StorageTraffic = UNCOUNTED_TRAFFIC,
    linkSigner?: Client,
  ) {
    // Every SDK failure says it came from storage (a raw ECONNREFUSED does not): toJobError → STORAGE_UNAVAILABLE.
    this.client = attributeFailures(client ?? createS3Client(), 'storage');
    this.linkSigner = linkSigner ?? client ?? createPublicLinkClient();
  }

  async ensureBuckets(names: string[] = Object.values(Buckets)): Promise<void> {
    for (const name of names) {
      if (!(await this.client.bucketExists(name)))
        await this.client.makeBucket(name).catch(async (e) => {
          if (!(await this.client.bucketExists(name))) throw e;
        });
    }
  }

  /**
   * Lets anyone GET objects of `bucket` (a CDN-origin style bucket, e.g. HLS for players, whose
   * relative segment URIs can't carry per-object signatures), or takes that back. Writes stay
   * authenticated either way.
   */
  async setAnonymousRead(bucket: string, enabled: boolean): Promise<void> {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: ['*'] },
          Action: ['s3:GetObject'],
          Resource: [`arn:aws:s3:::${bucket}/*`],
        },
      ],
    };
    // An empty policy deletes the bucket policy.
    await this.client.setBucketPolicy(bucket, enabled ? JSON.stringify(policy) : '');
  }

  /** Plain (unsigned) URL of an object on the public endpoint; readable only in a bucket that allows anonymous reads. */
  publicUrl(bucket: string, key: string): string {
    const { endpoint, publicEndpoint = endpoint } = storageConfig();
    return new URL(`/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`, publicEndpoint).href;
  }

  /**
   * Streams a body of unknown length: memory stays bounded. A body that ends within SINGLE_PUT_MAX_BYTES goes
   * out in one PUT; a longer one as a multipart upload (its head read so far, then the rest), `size` being
   * its upper bound (minio sizes the parts from it).
   */
  async putStream(
    bucket: string,
    key: string,
    body: Readable,
    contentType: string,
    size?: number,
  ): Promise<StoredObject> {
    const { head, rest } = await readHead(body, SINGLE_PUT_MAX_BYTES);
    if (!rest) {
      await this.client.putObject(bucket, key, head, head.length, { 'Content-Type': contentType });
      this.traffic.written(bucket, head.length);
      return { bucket, key, bytes: head.length, content_type: contentType };
    }
    await this.client.putObject(bucket, key, rest, size, { 'Content-Type': contentType });
    const { size: bytes } = await this.client.statObject(bucket, key);
    this.traffic.written(bucket, bytes);
    return { bucket, key, bytes, content_type: contentType };
  }

  async putFile(bucket: string, key: string, path: string, contentType: string): Promise<StoredObject> {
    await this.client.fPutObject(bucket, key, path, { 'Content-Type': contentType });
    const { size: bytes } = await statFile(path);
    this.traffic.written(bucket, bytes);
    return { bucket, key, bytes, content_type: contentType };
  }

  async putText(bucket: string, key: string, text: string, contentType: string): Promise<StoredObject> {
    const body = Buffer.from(text, 'utf8');
    await this.client.putObject(bucket, key, body, body.length, { 'Content-Type': contentType });
    this.traffic.written(bucket, body.length);
    return { bucket, key, bytes: body.length, content_type: contentType };
  }

  async getText(bucket: string, key: string): Promise<string> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of await this.client.getObject(bucket, key)) chunks.push(chunk as Buffer);
    } catch (e) {
      throw attributeTo(e, 'storage');
    }
    const body = Buffer.concat(chunks);
    this.traffic.read(bucket, body.length);
    return body.toString('utf8');
  }

  async download(bucket: string, key: string, path: string): Promise<void> {
    let bytes = 0;
    // Counted as they arrive: a download that fails half-way still read what it read.
    const counted = async function* (body: AsyncIterable<Buffer>) {
      for await (const chunk of body) {
        bytes += chunk.length;
        yield chunk;
      }
    };
    try {
      // A connection lost mid-body fails the stream, not the SDK call: attributed here.
      await pipeline(await this.client.getObject(bucket, key), counted, createWriteStream(path)).catch((e: unknown) =>
        Promise.reject(attributeTo(e, 'storage')),
      );
    } finally {
      this.traffic.read(bucket, bytes);
    }
  }

  async exists(bucket: string, key: string): Promise<boolean> {
    return this.client.statObject(bucket, key).then(
      () => true,
      () => false,
    );
  }

  /**
   * A time-limited GET URL on the services' endpoint: for our own ffmpeg to read a source over HTTP.
   * `signedAt` (default now) is the signature's X-Amz-Date; the URL works until `signedAt` + `expirySeconds`.
   */
  presignGet(bucket: string, key: string, expirySeconds = 3600, signedAt?: Date): Promise<string> {
    return this.client.presignedGetObject(bucket, key, expirySeconds, undefined, signedAt);
  }

  /** A time-limited GET URL for clients (browsers, players, another machine): on the public endpoint (`signedAt` as above). */
  presignClientGet(bucket: string, key: string, expirySeconds = 3600, signedAt?: Date): Promise<string> {
    return this.linkSigner.presignedGetObject(bucket, key, expirySeconds, undefined, signedAt);
  }

  /** A time-limited PUT URL for a client's direct upload: on the public endpoint. */
  presignPut(bucket: string, key: string, expirySeconds = 3600): Promise<string> {
    return this.linkSigner.presignedPutObject(bucket, key, expirySeconds);
  }

  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const item of this.client.listObjectsV2(bucket, prefix, true)) if (item.name) keys.push(item.name);
    return keys;
  }

  /** Deletes everything under a prefix (a cancelled or retried job's partial outputs). */
  async removePrefix(bucket: string, prefix: string): Promise<number> {
    const keys = await this.listKeys(bucket, prefix);
    if (keys.length) await this.client.removeObjects(bucket, keys);
    return keys.length;
  }
  // ---- client-driven (direct) uploads: the client sends the bytes to S3 with presigned URLs ----

  /** Starts an S3 multipart upload; its parts are then PUT by the client (presignUploadPart). */
  startMultipartUpload(bucket: string, key: string, contentType: string): Promise<string> {
    return this.internals.initiateNewMultipartUpload(bucket, key, { 'Content-Type': contentType });
  }

  /** A presigned PUT URL for one part of a client's multipart upload (partNumber 1..10000), on the public endpoint. */
  presignUploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    expirySeconds = 3600,
  ): Promise<string> {
    return this.linkSigner.presignedUrl('PUT', bucket, key, expirySeconds, {
      partNumber: String(partNumber),
      uploadId,
    });
  }

  /** The parts S3 holds for an unfinished multipart upload; null when the upload is unknown (completed or aborted). */
  async listUploadedParts(bucket: string, key: string, uploadId: string): Promise<UploadedPart[] | null> {
    try {
      const parts = await this.internals.listParts(bucket, key, uploadId);
      return parts
        .map((p) => ({ part_number: p.part, etag: p.etag.replace(/"/g, ''), bytes: p.size }))
        .sort((a, b) => a.part_number - b.part_number);
    } catch (e) {
      if (s3ErrorCode(e) === 'NoSuchUpload') return null;
      throw e;
    }
  }

  /** Joins the parts into the object (S3 errors such as InvalidPart or EntityTooSmall are thrown with their code). */
  async completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: PartToComplete[],
  ): Promise<{ etag: string }> {
    const { etag } = await this.internals.completeMultipartUpload(
      bucket,
      key,
      uploadId,
      parts.map((p) => ({ part: p.part_number, etag: p.etag })),
    );
    return { etag };
  }

  /** Drops an unfinished multipart upload and its parts; an unknown upload is already gone. */
  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.internals.abortMultipartUpload(bucket, key, uploadId).catch((e: unknown) => {
      if (s3ErrorCode(e) !== 'NoSuchUpload') throw e;
    });
  }

  /** HEAD of an object; null when there is none. */
  async stat(bucket: string, key: string): Promise<ObjectInfo | null> {
    try {
      const info = await this.client.statObject(bucket, key);
      const type = info.metaData?.['content-type'];
      return {
        bytes: info.size,
        etag: info.etag,
        content_type: typeof type === 'string' ? type : 'application/octet-stream',
      };
    } catch (e) {
      if (['NotFound', 'NoSuchKey'].includes(s3ErrorCode(e) ?? '')) return null;
      throw e;
    }
  }

  /** Replaces the bucket's CORS configuration (browsers reading presigned URLs from another origin need one). */
  async setBucketCors(bucket: string, rules: CorsRule[]): Promise<void> {
    const list = (tag: string, values: readonly string[] = []) =>
      values.map((v) => `<${tag}>${xmlEscape(v)}</${tag}>`).join('');
    const xml =
      '<CORSConfiguration>' +
      rules
        .map(
          (r) =>
            `<CORSRule>${list('AllowedOrigin', r.allowedOrigins)}${list('AllowedMethod', r.allowedMethods)}${list('AllowedHeader', r.allowedHeaders)}` +
            `${list('ExposeHeader', r.exposeHeaders)}${r.maxAgeSeconds !== undefined ? `<MaxAgeSeconds>${r.maxAgeSeconds}</MaxAgeSeconds>` : ''}</CORSRule>`,
        )
        .join('') +
      '</CORSConfiguration>';
    // PutBucketCors requires Content-MD5.
    const headers = {
      'Content-MD5': createHash('md5').update(xml).digest('base64'),
      'Content-Type': 'application/xml',
    };
    const response = await this.internals.makeRequestAsync(
      { method: 'PUT', bucketName: bucket, query: 'cors', headers },
      xml,
      [200, 204],
    );
    response.resume();
  }

  private get internals(): MinioInternals {
    return this.client as unknown as MinioInternals;
  }
}
