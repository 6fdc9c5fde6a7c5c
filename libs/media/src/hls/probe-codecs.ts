import { avc1Codec, mp4aCodec } from '../ladder/codecs-string';
import { runFfprobe } from '../probe/probe-media';

export interface ProbedVideoCodec {
  /** ffprobe's profile name, e.g. "High". */
  profile: string;
  /** level_idc, e.g. 31. */
  level: number;
  width: number;
  height: number;
}

/**
 * Reads an encoded MP4's RFC 6381 CODECS value from what is actually in the
 * file (profile and level of the H.264 stream, profile of the AAC stream),
 * to check or replace the value predicted at planning time.
 */
export async function probeCodecs(mp4Path: string): Promise<{ codecs: string; video: ProbedVideoCodec }> {
  const data = await runFfprobe(mp4Path);
  const video = data.streams.find((s) => s.codec_type === 'video');
  if (!video || video.codec_name !== 'h264') throw new Error(`${mp4Path} has no H.264 video stream`);
  const probed: ProbedVideoCodec = {
    profile: String(video.profile),
    level: Number(video.level),
    width: Number(video.width),
    height: Number(video.height),
  };
  const parts = [avc1Codec(probed.profile, probed.level)];
  const audio = data.streams.find((s) => s.codec_type === 'audio');
  if (audio) {
    if (audio.codec_name !== 'aac')
      throw new Error(`${mp4Path}: no RFC 6381 mapping for audio codec ${audio.codec_name}`);
    parts.push(mp4aCodec(String(audio.profile ?? 'LC')));
  }
  return { codecs: parts.join(','), video: probed };
}
