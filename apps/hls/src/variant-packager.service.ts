import { Injectable, Logger } from '@nestjs/common';
import { Rendition, RenditionsReady } from '@tf/contracts';
import {
  VARIANT_PLAYLIST_NAME,
  buildHlsRemuxArgs,
  hlsVariantLayout,
  measureVariantBandwidth,
  mediaBudget,
  outputFrameRate,
  probeCodecs,
  runFfmpeg,
} from '@tf/media';
import { NonRetryableError } from '@tf/messaging';
import { withJobWorkDir } from '@tf/stage';
import { Buckets, ObjectStorage, StoredObject } from '@tf/storage';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HlsConfig } from './hls.config';
import { hlsContentType, variantFileKey } from './hls-keys';
import { PackagedVariant } from './packaging.entity';

const SAFE_LABEL = /^[a-z0-9]+$/i;
const UPLOAD_CONCURRENCY = 4;

/**
 * Cuts each rendition MP4 into a VOD HLS variant without re-encoding (-c copy), measures its
 * BANDWIDTH from the segments and uploads it to hls-streams/{job}/{label}/. The heavy, retryable,
 * lock-free part of packaging: nothing here decides about the master playlist.
 *
 * The MP4 is downloaded to a scratch directory (deleted afterwards) rather than read over a
 * presigned URL: the remux is then immune to a dropped connection, and measuring needs the
 * segments on disk anyway.
 */
@Injectable()
export class VariantPackager {
  private readonly logger = new Logger(VariantPackager.name);

  constructor(
    private readonly storage: ObjectStorage,
    private readonly config: HlsConfig,
  ) {}

  /** `signal`: the job's cancellation (JobCancellations): aborting it stops the remux in progress and the rest. */
  async package(event: RenditionsReady, signal?: AbortSignal): Promise<PackagedVariant[]> {
    if (event.renditions.length === 0)
      throw new NonRetryableError('NO_RENDITIONS', `job ${event.job_id} has no renditions to package`);
    const frameRate = event.media.fps > 0 ? outputFrameRate(event.media.fps) : null;
    return withJobWorkDir(this.config.workDir, 'hls', event.job_id, async (dir) => {
      const variants: PackagedVariant[] = [];
      for (const rendition of event.renditions) {
        signal?.throwIfAborted();
        variants.push(await this.packageOne(event.job_id, rendition, dir, frameRate, event.media.duration_s, signal));
      }
      return variants;
    });
  }

  /** Removes hls-streams/{job_id}/ (a cancelled job); how many objects there were. */
  discard(jobId: string): Promise<number> {
    return this.storage.removePrefix(Buckets.hls, `${jobId}/`);
  }

  private async packageOne(
    jobId: string,
    rendition: Rendition,
    dir: string,
    frameRate: number | null,
    durationS: number,
    cancel?: AbortSignal,
  ): Promise<PackagedVariant> {
    const { label } = rendition;
    if (!SAFE_LABEL.test(label))
      throw new NonRetryableError(
        'INVALID_RENDITION_LABEL',
        `rendition label ${JSON.stringify(label)} is not a safe path segment`,
      );
    const mp4 = join(dir, `${label}.mp4`);
    await this.storage.download(rendition.object.bucket, rendition.object.key, mp4);
    const hlsDir = join(dir, 'hls');
    const layout = hlsVariantLayout(hlsDir, label);
    await mkdir(layout.dir, { recursive: true });
    // The remux's budget grows with the duration; over it is MEDIA_TIMEOUT / MEDIA_RESOURCE_LIMIT, not retried.
    await runFfmpeg(buildHlsRemuxArgs(mp4, hlsDir, { label, segmentSeconds: this.config.segmentSeconds }), {
      budget: mediaBudget('remux', durationS),
      signal: cancel,
    });
    cancel?.throwIfAborted();
    const bandwidth = await measureVariantBandwidth(layout.playlistPath);
    const codecs = rendition.codecs || (await probeCodecs(mp4)).codecs;
    await rm(mp4, { force: true });
    const playlist = await this.upload(jobId, label, layout.dir);
    this.logger.log(`${jobId}: ${label} packaged, ${bandwidth.segmentCount} segment(s), peak ${bandwidth.peak} bit/s`);
    return {
      label,
      playlist,
      bandwidth: bandwidth.peak,
      average_bandwidth: bandwidth.average,
      width: rendition.width,
      height: rendition.height,
      codecs,
      frame_rate: frameRate,
      segment_count: bandwidth.segmentCount,
    };
  }

  /** Segments first, the playlist last: a listed segment is always there. Returns the playlist. */
  private async upload(jobId: string, label: string, variantDir: string): Promise<StoredObject> {
    const put = (file: string) =>
      this.storage.putFile(
        Buckets.hls,
        variantFileKey(jobId, label, file),
        join(variantDir, file),
        hlsContentType(file),
      );
    const segments = (await readdir(variantDir)).filter((f) => f !== VARIANT_PLAYLIST_NAME).sort();
    for (let i = 0; i < segments.length; i += UPLOAD_CONCURRENCY)
      await Promise.all(segments.slice(i, i + UPLOAD_CONCURRENCY).map(put));
    return put(VARIANT_PLAYLIST_NAME);
  }
}
