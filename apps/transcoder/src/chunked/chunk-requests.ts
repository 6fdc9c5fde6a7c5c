import { type TranscodeChunkRequested, type VideoValidated, newEnvelope } from '@tf/contracts';
import { type ChunkRange, type ChunkThumbnail, THUMBNAIL_POSITIONS, joinAt, thumbnailTimes } from '@tf/media';

export type ChunkPart = 'video' | 'audio' | 'assemble';

/** One part's message of the run started by `validated` (the run id is its event id). */
export function chunkRequest(
  validated: VideoValidated,
  attempt: number,
  chunkCount: number,
  part: ChunkPart,
  range: ChunkRange | null = null,
): TranscodeChunkRequested {
  return {
    ...newEnvelope(validated.job_id, attempt),
    run_id: validated.event_id,
    part,
    index: range?.index ?? -1,
    chunk_count: chunkCount,
    start_s: range?.start_s ?? 0,
    end_s: range?.end_s ?? null,
    source: validated.source,
    spec: validated.spec,
    media: validated.media,
  };
}

/** The Kafka key of a part: `<job_id>:<index>` for a video chunk, `<job_id>:audio`, `<job_id>:assemble`. */
export const chunkRequestKey = (request: TranscodeChunkRequested): string =>
  `${request.job_id}:${request.part === 'video' ? request.index : request.part}`;

export const rangeOf = (request: TranscodeChunkRequested): ChunkRange => ({
  index: request.index,
  start_s: request.start_s,
  end_s: request.end_s,
});

/**
 * The job's thumbnails (the single pass's positions over the whole duration) that fall inside the part of the
 * timeline a chunk contributes: between its joins (`joinAt`: a range's key frame off the grid is joined at the
 * next grid instant, and the chunk's encode covers that).
 */
export function chunkThumbnails(durationS: number, range: ChunkRange): ChunkThumbnail[] {
  const from = range.index > 0 ? joinAt(range.start_s, durationS) : 0;
  const until = range.end_s === null ? null : joinAt(range.end_s, durationS);
  return thumbnailTimes(durationS, THUMBNAIL_POSITIONS)
    .map((time_s, i) => ({ number: i + 1, time_s }))
    .filter((t) => t.time_s >= from && (until === null || t.time_s < until));
}
