import { Injectable } from '@nestjs/common';
import {
  MasterVariant,
  SubtitleTrack,
  VARIANT_PLAYLIST_NAME,
  renderMasterPlaylist,
  renderSubtitlePlaylist,
} from '@tf/media';
import { Buckets, ObjectStorage, StoredObject } from '@tf/storage';
import {
  M3U8_CONTENT_TYPE,
  SUBTITLE_PLAYLIST_URI,
  SUBTITLE_VTT_NAME,
  VTT_CONTENT_TYPE,
  masterKey,
  subtitlePlaylistKey,
  subtitleVttKey,
} from './hls-keys';
import { PackagedVariant, SubtitleSource } from './packaging.entity';

/** A WebVTT file with no cues: what a transcript without speech amounts to. */
const EMPTY_VTT = 'WEBVTT\n';

/**
 * Writes the master playlist (and, with subtitles, the subtitle track next to it). Small objects
 * only: it runs under the packaging row lock.
 */
@Injectable()
export class MasterPublisher {
  constructor(private readonly storage: ObjectStorage) {}

  async publish(
    jobId: string,
    variants: readonly PackagedVariant[],
    subtitles: { source: SubtitleSource; durationS: number } | null,
  ): Promise<StoredObject> {
    const track = subtitles ? await this.publishSubtitles(jobId, subtitles.source, subtitles.durationS) : undefined;
    const text = renderMasterPlaylist(variants.map(toMasterVariant), { subtitles: track });
    return this.storage.putText(Buckets.hls, masterKey(jobId), text, M3U8_CONTENT_TYPE);
  }

  /**
   * Copies the transcript's VTT into hls-streams/{job}/subtitles/ (relative URIs must resolve next to
   * the playlists) with a one-segment subtitle playlist spanning the video. A transcript with zero
   * segments gives a valid VTT with no cues: the track exists and shows nothing.
   */
  private async publishSubtitles(jobId: string, source: SubtitleSource, durationS: number): Promise<SubtitleTrack> {
    const vtt = await this.storage.getText(source.vtt.bucket, source.vtt.key);
    await this.storage.putText(Buckets.hls, subtitleVttKey(jobId), vtt.trim() ? vtt : EMPTY_VTT, VTT_CONTENT_TYPE);
    await this.storage.putText(
      Buckets.hls,
      subtitlePlaylistKey(jobId),
      renderSubtitlePlaylist(SUBTITLE_VTT_NAME, durationS),
      M3U8_CONTENT_TYPE,
    );
    return { uri: SUBTITLE_PLAYLIST_URI, language: source.language, name: languageName(source.language) };
  }
}

function toMasterVariant(v: PackagedVariant): MasterVariant {
  return {
    uri: `${v.label}/${VARIANT_PLAYLIST_NAME}`,
    bandwidth: v.bandwidth,
    averageBandwidth: v.average_bandwidth,
    width: v.width,
    height: v.height,
    codecs: v.codecs,
    frameRate: v.frame_rate ?? undefined,
  };
}

/** "English" for "en"; the code itself when the runtime does not know it. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
