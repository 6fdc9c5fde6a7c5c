import type { PlannedRendition } from '../ladder/plan-ladder';

export interface VideoFilterGraphInput {
  renditions: readonly PlannedRendition[];
  /** Set when the source frame rate is above what renditions are encoded at. */
  capFps?: number;
  /** Thumbnail branch: a select expression and the output width. */
  thumbnails?: { selectExpression: string; width: number };
}

export interface VideoFilterGraph {
  /** The -filter_complex value. */
  graph: string;
  /** Output pad of each rendition, in rendition order, for -map "[pad]". */
  renditionPads: string[];
  thumbnailPad?: string;
}

/**
 * One decode of the source video, split into a branch per rendition plus one
 * for thumbnails. ffmpeg applies the source's rotation before the graph
 * (autorotate), so the sizes here are display sizes.
 */
export function buildVideoFilterGraph({ renditions, capFps, thumbnails }: VideoFilterGraphInput): VideoFilterGraph {
  const branchCount = renditions.length + (thumbnails ? 1 : 0);
  if (branchCount === 0) throw new Error('Nothing to encode: no renditions and no thumbnails');

  const branches = Array.from({ length: branchCount }, (_, i) => `[split${i}]`);
  const head = [...(capFps ? [`fps=${formatRate(capFps)}`] : []), `split=${branchCount}`].join(',');
  const chains = [`[0:v:0]${head}${branches.join('')}`];

  const renditionPads = renditions.map((r, i) => {
    const pad = `[v${r.label}]`;
    // setsar=1: square pixels, so the width/height we report is the shape a player shows.
    chains.push(`${branches[i]}scale=${r.width}:${r.height}:flags=bicubic,setsar=1,format=yuv420p${pad}`);
    return pad;
  });

  let thumbnailPad: string | undefined;
  if (thumbnails) {
    thumbnailPad = '[vthumbs]';
    // Timestamps from 0 whatever the container's start time; select before scale so only the chosen frames are scaled.
    chains.push(
      `${branches[branchCount - 1]}setpts=PTS-STARTPTS,select='${thumbnails.selectExpression}',` +
        `scale=${thumbnails.width}:-2:flags=bicubic,setsar=1${thumbnailPad}`,
    );
  }

  return { graph: chains.join(';'), renditionPads, thumbnailPad };
}

function formatRate(fps: number): string {
  return Number.isInteger(fps) ? String(fps) : fps.toFixed(3);
}
