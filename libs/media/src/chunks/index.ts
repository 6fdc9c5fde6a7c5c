export { planChunks, type ChunkRange } from './plan-chunks';
export { buildKeyframeScanArgs, scanKeyframes } from './keyframe-scan';
export {
  CHUNK_AUDIO_TRACK_FILE_NAME,
  buildChunkAssemblyArgs,
  buildChunkAudioArgs,
  buildChunkEncodeArgs,
  chunkThumbnailFiles,
  type ChunkAssemblyPlan,
  type ChunkAudioPlan,
  type ChunkEncodePlan,
  type ChunkThumbnail,
} from './chunk-args';
export { writeConcatList } from './concat-list';
