import { Injectable } from '@nestjs/common';
import type { TranscodeOutputs } from '@tf/media';
import { Buckets, ObjectStorage, StoredObject } from '@tf/storage';
import { basename } from 'node:path';

export interface StoredTranscodeOutputs {
  renditions: { label: string; path: string; object: StoredObject }[];
  audio: StoredObject | null;
  thumbnails: StoredObject[];
}

/** processed-videos/{job_id}/{file name}: deterministic, so a retried job overwrites its own outputs. */
const processedKey = (jobId: string, fileName: string): string => `${jobId}/${fileName}`;

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4a': 'audio/mp4',
  '.mp3': 'audio/mpeg',
  '.jpg': 'image/jpeg',
};
const contentTypeOf = (path: string): string =>
  CONTENT_TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';

/** Uploads what one ffmpeg pass wrote to the processed-videos bucket. */
@Injectable()
export class OutputStore {
  constructor(private readonly storage: ObjectStorage) {}

  async store(jobId: string, outputs: TranscodeOutputs): Promise<StoredTranscodeOutputs> {
    const put = (path: string) =>
      this.storage.putFile(Buckets.processed, processedKey(jobId, basename(path)), path, contentTypeOf(path));
    // Small files first in parallel; the MP4s one by one (each is a multipart upload already).
    const [audio, thumbnails] = await Promise.all([
      outputs.audio ? put(outputs.audio) : null,
      Promise.all(outputs.thumbnails.map(put)),
    ]);
    const renditions: StoredTranscodeOutputs['renditions'] = [];
    for (const r of outputs.renditions) renditions.push({ ...r, object: await put(r.path) });
    return { renditions, audio, thumbnails };
  }

  /** Uploads files under a key of the job's prefix: processed-videos/{job_id}/{relativeKey}. */
  put(jobId: string, relativeKey: string, path: string): Promise<StoredObject> {
    return this.storage.putFile(Buckets.processed, processedKey(jobId, relativeKey), path, contentTypeOf(path));
  }

  /** Downloads processed-videos/{job_id}/{relativeKey} to `path`. */
  get(jobId: string, relativeKey: string, path: string): Promise<void> {
    return this.storage.download(Buckets.processed, processedKey(jobId, relativeKey), path);
  }

  /** Removes processed-videos/{job_id}/{relativePrefix} (a split transcode's chunks once assembled). */
  discardUnder(jobId: string, relativePrefix: string): Promise<number> {
    return this.storage.removePrefix(Buckets.processed, processedKey(jobId, relativePrefix));
  }

  /** Removes processed-videos/{job_id}/ (a cancelled job); how many objects there were. */
  discard(jobId: string): Promise<number> {
    return this.storage.removePrefix(Buckets.processed, processedKey(jobId, ''));
  }
}
