import { RenditionsReady, VideoValidated, newEnvelope } from '@tf/contracts';
import type { LadderPlan } from '@tf/media';
import type { StoredTranscodeOutputs } from './output-store';

/** What ffprobe reads back from an encoded rendition: the truth the event reports. */
export interface EncodedRendition {
  codecs: string;
  width: number;
  height: number;
}

/**
 * The RenditionsReady event of a finished transcode: the planned renditions in ladder order, with the
 * probed size and CODECS of each file and where it is stored; the skipped rungs; the MP3 (null
 * without audio) and the thumbnails in time order.
 */
export function renditionsReadyEvent(
  validated: VideoValidated,
  plan: LadderPlan,
  stored: StoredTranscodeOutputs,
  encoded: ReadonlyMap<string, EncodedRendition>,
  attempt: number,
): RenditionsReady {
  return {
    ...newEnvelope(validated.job_id, attempt),
    spec: validated.spec,
    media: validated.media,
    renditions: plan.renditions.map((planned) => {
      const file = stored.renditions.find((r) => r.label === planned.label);
      const probed = encoded.get(planned.label);
      if (!file || !probed) throw new Error(`rendition ${planned.label} was planned but not written`);
      return {
        label: planned.label,
        width: probed.width,
        height: probed.height,
        video_bitrate: planned.video_bitrate,
        audio_bitrate: planned.audio_bitrate,
        codecs: probed.codecs,
        object: file.object,
      };
    }),
    skipped: plan.skipped.map(({ label, reason }) => ({ label, reason })),
    audio: stored.audio,
    thumbnails: stored.thumbnails,
  };
}
