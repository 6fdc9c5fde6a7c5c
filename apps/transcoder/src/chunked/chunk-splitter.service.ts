import { Injectable, Logger } from '@nestjs/common';
import type { VideoValidated } from '@tf/contracts';
import { type ChunkRange, planChunks, scanSourceFrames, splitRefusal } from '@tf/media';
import { NonRetryableError, type OutboxWriter } from '@tf/messaging';
import { ObjectStorage } from '@tf/storage';
import type { EntityManager } from 'typeorm';
import { TranscoderConfig } from '../transcoder.config';
import { AUDIO_PART, videoPartName } from './chunk-fan-in';
import { chunkRequest, chunkRequestKey } from './chunk-requests';
import { ChunkRunsRepository } from './chunk-runs.repository';

/** How long a part's presigned source URL lives: longer than any chunk encode's budget. */
export const SOURCE_URL_TTL_S = 6 * 3600;

/**
 * The first step of a split transcode: a source longer than TF_CHUNK_THRESHOLD_SECONDS is cut at its
 * own key frames (read from the packet flags over a presigned URL, nothing decoded or copied) into chunks
 * of about TF_CHUNK_TARGET_SECONDS; the run, its parts and one message per part (each video chunk, the
 * whole file's audio) are written in the VideoValidated's exactly-once transaction.
 */
@Injectable()
export class ChunkSplitter {
  private readonly logger = new Logger(ChunkSplitter.name);

  constructor(
    private readonly storage: ObjectStorage,
    private readonly runs: ChunkRunsRepository,
    private readonly config: TranscoderConfig,
  ) {}

  wantsSplit(validated: VideoValidated): boolean {
    return this.config.chunkThresholdS > 0 && validated.media.duration_s > this.config.chunkThresholdS;
  }

  /**
   * The chunks of the source; null when it cannot be cut in two (too few key frames), or its frames are not on
   * a constant-rate grid chunks can keep (variable frame rate, above the frame-rate cap: splitRefusal): the
   * single pass then.
   */
  async plan(validated: VideoValidated, signal?: AbortSignal): Promise<ChunkRange[] | null> {
    const { source, media, job_id: jobId } = validated;
    if (!(await this.storage.stat(source.bucket, source.key))) throw new NonRetryableError('SOURCE_MISSING');
    const url = await this.storage.presignGet(source.bucket, source.key, SOURCE_URL_TTL_S);
    const scan = await scanSourceFrames(url, media, signal);
    const refusal = splitRefusal(media, scan);
    if (refusal) {
      this.logger.log(`${jobId}: not cut (one pass): ${refusal} (${media.fps.toFixed(3)} fps avg)`);
      return null;
    }
    const { keyframes } = scan;
    const chunks = planChunks(keyframes, media.duration_s, this.config.chunkTargetS);
    this.logger.log(
      `${jobId}: ${media.duration_s.toFixed(1)} s, ${keyframes.length} key frames: ` +
        (chunks.length > 1
          ? `${chunks.length} chunks starting at ${chunks.map((c) => c.start_s.toFixed(2)).join(', ')} s`
          : 'not cut (one pass)'),
    );
    return chunks.length > 1 ? chunks : null;
  }

  /** The run, its parts and their messages, in the transaction that consumes the VideoValidated. */
  async record(
    tx: EntityManager,
    outbox: OutboxWriter,
    validated: VideoValidated,
    attempt: number,
    chunks: readonly ChunkRange[],
  ): Promise<void> {
    const withAudio = validated.media.has_audio;
    const parts = [...chunks.map((c) => videoPartName(c.index)), ...(withAudio ? [AUDIO_PART] : [])];
    await this.runs.create(
      tx,
      { run_id: validated.event_id, job_id: validated.job_id, attempt, chunk_count: chunks.length, validated },
      parts,
    );
    const requests = [
      // The audio first: it is one run over the whole file, the longest part to wait for.
      ...(withAudio ? [chunkRequest(validated, attempt, chunks.length, 'audio')] : []),
      ...chunks.map((c) => chunkRequest(validated, attempt, chunks.length, 'video', c)),
    ];
    for (const request of requests) {
      await outbox.append(tx, 'TranscodeChunkRequested', request, undefined, chunkRequestKey(request));
    }
  }
}
