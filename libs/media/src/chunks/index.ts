export { planChunks, type ChunkRange } from './plan-chunks';
export { buildKeyframeScanArgs, scanKeyframes, scanSourceFrames, type SourceFrameScan } from './keyframe-scan';
export { splitRefusal, type SplitRefusal } from './split-eligibility';
export {
  CHUNK_AUDIO_TRACK_FILE_NAME,
  buildChunkAssemblyArgs,
  buildChunkAudioArgs,
  buildChunkEncodeArgs,
  chunkThumbnailFiles,
  chunkWindowOf,
  type ChunkAssemblyPlan,
  type ChunkAudioPlan,
  type ChunkEncodePlan,
  type ChunkThumbnail,
} from './chunk-args';
export { writeConcatList, type ConcatEntry } from './concat-list';
export {
  CHUNK_POSTROLL_FRAMES,
  CHUNK_PREROLL_FRAMES,
  chunkEncodeWindow,
  joinAt,
  defaultChunkRoll,
  onKeyframeGrid,
  type ChunkEncodeWindow,
  type ChunkRoll,
} from './chunk-window';
export { buildChunkPacketScanArgs, chunkKeep, chunkOutpoint, type ChunkKeep } from './chunk-outpoint';
