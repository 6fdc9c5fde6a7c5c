/**
 * What ffprobe found in a source. Field for field the Avro record `MediaInfo`
 * (schemas/VideoValidated.avsc), so a value can be put on an event as it is.
 * Declared here rather than imported from @tf/contracts so that the media
 * library has no dependency on the event contracts; TypeScript's structural
 * typing makes the two interchangeable.
 */
export interface MediaInfo {
  /** Duration in seconds. */
  duration_s: number;
  /** Coded width in pixels. */
  width: number;
  /** Coded height in pixels. */
  height: number;
  /** Width after rotation is applied. */
  display_width: number;
  /** Height after rotation is applied. */
  display_height: number;
  /** Clockwise rotation a player applies to show the picture upright: 0, 90, 180 or 270. */
  rotation: number;
  /** Average frame rate. */
  fps: number;
  /** Video codec name as ffprobe names it, e.g. h264. */
  video_codec: string;
  /** Audio codec name, null without audio. */
  audio_codec: string | null;
  /** Whether the source carries an audio stream. */
  has_audio: boolean;
  /** Container bit rate in bits/s (0 when unknown). */
  bit_rate: number;
  /** Container format as ffprobe names it, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  format_name: string;
}
