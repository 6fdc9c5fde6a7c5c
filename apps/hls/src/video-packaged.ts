import { JobSpec, VideoPackaged, newEnvelope } from '@tf/contracts';
import type { StoredObject } from '@tf/storage';
import type { PackagedVariant } from './packaging.entity';

/** The VideoPackaged event for a master just written. */
export function videoPackagedEvent(
  jobId: string,
  spec: JobSpec,
  master: StoredObject,
  variants: readonly PackagedVariant[],
  hasSubtitles: boolean,
  attempt: number,
): VideoPackaged {
  return {
    ...newEnvelope(jobId, attempt),
    spec,
    master,
    variants: variants.map((v) => ({
      label: v.label,
      playlist: v.playlist,
      bandwidth: v.bandwidth,
      resolution: `${v.width}x${v.height}`,
      codecs: v.codecs,
      segment_count: v.segment_count,
    })),
    has_subtitles: hasSubtitles,
  };
}
