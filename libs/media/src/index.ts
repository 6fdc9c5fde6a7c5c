// Public API of @tf/media: probing, validation, the rendition ladder, typed
// ffmpeg argument builders, the ffmpeg runner and HLS playlists.

export type { MediaInfo } from './media-info';
export {
  MediaInputRefusedError,
  MediaLimitExceededError,
  MediaProbeError,
  UnknownResolutionError,
  type MediaLimitCode,
  type MediaRejection,
  type MediaRejectionCode,
} from './errors';
export { ffmpegBinary, ffprobeBinary, prlimitBinary } from './binaries';

export { ACCEPTED_DEMUXERS } from './input/accepted-formats';
export { MediaSource } from './input/media-source';
export { inputArgs, type InputOptions } from './input/input-args';

export { probeMedia, runFfprobe } from './probe/probe-media';
export { mediaInfoFromFfprobe, parseFrameRate } from './probe/media-info-from-ffprobe';
export { readRotation } from './probe/rotation';

export {
  DEFAULT_MEDIA_LIMITS,
  maxPixels,
  mediaLimitsFromEnv,
  resolveLimits,
  type MediaLimits,
} from './validation/media-limits';
export { buildFrameScanArgs, judgeFrameScan, scanFrames, type FrameScan } from './validation/frame-scan';
export {
  validateSource,
  fileSizeRejection,
  aspectRatioRejection,
  type ProbedSource,
  type SourceVerdict,
} from './validation/validate-source';
export { buildTailDecodeCheckArgs, checkTailDecodes, TAIL_DECODE_SECONDS } from './validation/tail-decode-check';
export { inspectSource, type InspectSourceOptions } from './validation/inspect-source';

export { LADDER, KNOWN_LABELS, RENDITION_AUDIO_BITRATE, type LadderRung } from './ladder/ladder-rungs';
export { parseResolutions } from './ladder/parse-resolutions';
export {
  planLadder,
  scaledSize,
  type LadderPlan,
  type PlannedRendition,
  type SkippedRendition,
  type SkipReason,
} from './ladder/plan-ladder';
export { avc1Codec, mp4aCodec, renditionCodecs } from './ladder/codecs-string';
export { h264LevelFor } from './ladder/h264-level';
export { outputFrameRate } from './ladder/output-frame-rate';

export {
  buildFirstFrameThumbnailArgs,
  buildTranscodeArgs,
  plannedOutputs,
  writtenOutputs,
  type TranscodePlan,
} from './ffmpeg/transcode-args';
export {
  AUDIO_FILE_NAME,
  renditionFileName,
  thumbnailFileName,
  transcodeOutputs,
  type TranscodeOutputs,
} from './ffmpeg/output-layout';
export { buildSpeechAudioArgs, SPEECH_SAMPLE_RATE } from './ffmpeg/speech-audio-args';
export { KEYFRAME_INTERVAL_S } from './ffmpeg/keyframe-options';
export { MP3_BITRATE } from './ffmpeg/audio-options';
export { THUMBNAIL_POSITIONS, THUMBNAIL_WIDTH, thumbnailTimes } from './ffmpeg/thumbnail-selection';

export { runFfmpeg, type RunFfmpegOptions, type FfmpegRunResult } from './runner/run-ffmpeg';
export { runMediaTool, limitedCommand, type MediaTool, type RunMediaToolOptions } from './runner/run-media-tool';
export {
  mediaBudget,
  mediaBudgetSettingsFromEnv,
  type MediaBudget,
  type MediaBudgetSettings,
  type MediaTask,
} from './runner/media-budget';
export { FfmpegExitError, FfmpegAbortedError } from './runner/ffmpeg-errors';
export {
  ProgressStreamParser,
  parseProgressText,
  progressFromFields,
  progressPercent,
  type FfmpegProgress,
} from './runner/progress-parser';

export { buildHlsRemuxArgs, DEFAULT_SEGMENT_SECONDS, type HlsRemuxOptions } from './hls/hls-remux-args';
export { hlsVariantLayout, MASTER_PLAYLIST_NAME, VARIANT_PLAYLIST_NAME, type HlsVariantLayout } from './hls/hls-layout';
export { measureVariantBandwidth, parseMediaPlaylist, type VariantBandwidth } from './hls/media-playlist';
export {
  renderMasterPlaylist,
  SUBTITLE_GROUP_ID,
  type MasterVariant,
  type MasterPlaylistOptions,
  type SubtitleTrack,
} from './hls/master-playlist';
export { renderSubtitlePlaylist } from './hls/subtitle-playlist';
export { firstVideoPts, withTimestampMap } from './hls/subtitle-timestamp-map';
export { probeCodecs, type ProbedVideoCodec } from './hls/probe-codecs';

export * from './chunks';
