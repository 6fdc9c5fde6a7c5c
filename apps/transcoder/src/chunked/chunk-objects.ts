import { renditionFileName } from '@tf/media';

/**
 * Where a split transcode keeps its parts, under processed-videos/{job_id}/ (so a cancel's removal of the
 * job's prefix takes them too): chunks/{run_id}/{index}/{label}.mp4 and chunks/{run_id}/audio.m4a.
 * Deterministic: a part redone overwrites its own files. Removed once the run is assembled.
 */
export const chunksPrefix = (runId: string): string => `chunks/${runId}/`;

export const chunkDirName = (index: number): string => String(index).padStart(4, '0');

export const chunkRenditionKey = (runId: string, index: number, label: string): string =>
  `${chunksPrefix(runId)}${chunkDirName(index)}/${renditionFileName(label)}`;

export const audioTrackKey = (runId: string): string => `${chunksPrefix(runId)}audio.m4a`;
