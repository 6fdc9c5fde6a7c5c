import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Buckets, ObjectStorage } from '@tf/storage';

/**
 * Origins allowed to use presigned URLs from a browser page (TF_S3_CORS_ORIGINS, comma-separated,
 * default "*"; "none" leaves the buckets' CORS configuration alone, e.g. when ops manage it).
 * "*" gives nothing away: the presigned signature is what grants access, and no cookies are involved.
 */
function corsOriginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = (env.TF_S3_CORS_ORIGINS ?? '*').trim();
  if (raw === 'none' || raw === '') return [];
  return raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

/**
 * Browsers need CORS on the buckets they reach with presigned URLs: raw-videos for direct-upload PUTs
 * (and reading each part's ETag answer header), hls-streams for the segments a signed playlist points
 * to, processed-videos for the outputs a page reads (the transcript). The gateway, which hands those URLs out, sets both at start-up; a backend without the CORS API
 * only gets a warning (Node clients and ffmpeg need no CORS).
 */
@Injectable()
export class BucketCors implements OnApplicationBootstrap {
  private readonly logger = new Logger(BucketCors.name);

  constructor(private readonly storage: ObjectStorage) {}

  async onApplicationBootstrap(): Promise<void> {
    const origins = corsOriginsFromEnv();
    if (!origins.length) return;
    const common = { allowedOrigins: origins, allowedHeaders: ['*'], exposeHeaders: ['ETag'], maxAgeSeconds: 3600 };
    await Promise.all([
      this.apply(Buckets.raw, { ...common, allowedMethods: ['PUT'] }),
      this.apply(Buckets.hls, { ...common, allowedMethods: ['GET', 'HEAD'] }),
      // The console reads a job's transcript.json from here (its transcript panel).
      this.apply(Buckets.processed, { ...common, allowedMethods: ['GET', 'HEAD'] }),
    ]);
  }

  private async apply(bucket: string, rule: Parameters<ObjectStorage['setBucketCors']>[1][number]): Promise<void> {
    await this.storage
      .setBucketCors(bucket, [rule])
      .catch((e: unknown) => this.logger.warn(`could not set CORS on ${bucket}: ${(e as Error)?.message ?? e}`));
  }
}
