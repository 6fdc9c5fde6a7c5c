import { createWriteStream } from 'node:fs';
import { stat as statFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'minio';
import { Buckets, createS3Client, storageConfig } from './storage-config';

/** Where an object lives; mirrors the ObjectRef Avro record. */
export interface StoredObject {
  bucket: string;
  key: string;
  bytes: number;
  content_type: string;
}

/** S3-compatible object storage behind one small interface, so no caller touches the SDK. */
export class ObjectStorage {
  constructor(readonly client: Client = createS3Client()) {}

  async ensureBuckets(names: string[] = Object.values(Buckets)): Promise<void> {
    for (const name of names) {
      if (!(await this.client.bucketExists(name))) await this.client.makeBucket(name).catch(async (e) => {
        if (!(await this.client.bucketExists(name))) throw e;
      });
    }
  }

  /**
   * Lets anyone GET objects of `bucket` (a CDN-origin style bucket, e.g. HLS for players, whose
   * relative segment URIs can't carry per-object signatures). Writes stay authenticated.
   */
  async allowAnonymousRead(bucket: string): Promise<void> {
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/*`] }],
    };
    await this.client.setBucketPolicy(bucket, JSON.stringify(policy));
  }

  /** Plain (unsigned) URL of an object; readable only in a bucket that allows anonymous reads. */
  publicUrl(bucket: string, key: string): string {
    const { endpoint } = storageConfig();
    return new URL(`${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`, endpoint.href.endsWith('/') ? endpoint.href : `${endpoint.href}/`).href;
  }

  /** Streams a body of unknown length (multipart under the hood): memory stays bounded. */
  async putStream(bucket: string, key: string, body: Readable, contentType: string, size?: number): Promise<StoredObject> {
    await this.client.putObject(bucket, key, body, size, { 'Content-Type': contentType });
    const { size: bytes } = await this.client.statObject(bucket, key);
    return { bucket, key, bytes, content_type: contentType };
  }

  async putFile(bucket: string, key: string, path: string, contentType: string): Promise<StoredObject> {
    await this.client.fPutObject(bucket, key, path, { 'Content-Type': contentType });
    return { bucket, key, bytes: (await statFile(path)).size, content_type: contentType };
  }

  async putText(bucket: string, key: string, text: string, contentType: string): Promise<StoredObject> {
    const body = Buffer.from(text, 'utf8');
    await this.client.putObject(bucket, key, body, body.length, { 'Content-Type': contentType });
    return { bucket, key, bytes: body.length, content_type: contentType };
  }

  async getText(bucket: string, key: string): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.client.getObject(bucket, key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  async download(bucket: string, key: string, path: string): Promise<void> {
    await pipeline(await this.client.getObject(bucket, key), createWriteStream(path));
  }

  async exists(bucket: string, key: string): Promise<boolean> {
    return this.client.statObject(bucket, key).then(
      () => true,
      () => false,
    );
  }

  /** A time-limited GET URL: for clients, and for ffmpeg to read a source over HTTP. */
  presignGet(bucket: string, key: string, expirySeconds = 3600): Promise<string> {
    return this.client.presignedGetObject(bucket, key, expirySeconds);
  }

  presignPut(bucket: string, key: string, expirySeconds = 3600): Promise<string> {
    return this.client.presignedPutObject(bucket, key, expirySeconds);
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
}
