import { NonRetryableError } from '@tf/messaging';
import {
  LADDER,
  type LadderPlan,
  type MediaInfo,
  type PlannedRendition,
  UnknownResolutionError,
  planLadder,
  scaledSize,
} from '@tf/media';

/**
 * The renditions to encode for a job: the requested ladder rungs the source can fill (no upscaling;
 * the others are listed as skipped with UPSCALE_NOT_ALLOWED).
 *
 * A job always gets at least one rendition. When nothing requested fits (all rungs above the source,
 * or an empty request), we encode ONE fallback rendition at the source's own short side, capped to the
 * nearest ladder rung below it: a 1280x720 source asked for 1080p gets 720p, a 1280x536 one gets 480p.
 * A source below the smallest rung keeps its own size (even dimensions), labelled after its short side
 * ("240p"), with the smallest rung's bit-rate cap and H.264 level (a valid upper bound for a smaller picture).
 */
export function planRenditions(requested: readonly string[], media: MediaInfo): LadderPlan {
  let plan: LadderPlan;
  try {
    plan = planLadder(requested, media);
  } catch (error) {
    if (error instanceof UnknownResolutionError) throw new NonRetryableError(error.code, error.message);
    throw error;
  }
  return plan.renditions.length > 0 ? plan : { renditions: [fallbackRendition(media)], skipped: plan.skipped };
}

function fallbackRendition(media: MediaInfo): PlannedRendition {
  const sourceShort = Math.min(media.display_width, media.display_height);
  const rung = [...LADDER].reverse().find((r) => r.shortSide <= sourceShort);
  if (rung) return planLadder([rung.label], media).renditions[0];

  const smallest = LADDER[0];
  const asSmallestRung = planLadder([smallest.label], { ...media, ...scaledDisplay(media, smallest.shortSide) })
    .renditions[0];
  const { width, height } = scaledSize(media.display_width, media.display_height, 2 * Math.floor(sourceShort / 2));
  return { ...asSmallestRung, label: `${Math.min(width, height)}p`, width, height };
}

/** The display size scaled so its short side is `shortSide`. */
function scaledDisplay(media: MediaInfo, shortSide: number): Pick<MediaInfo, 'display_width' | 'display_height'> {
  const { width, height } = scaledSize(media.display_width, media.display_height, shortSide);
  return { display_width: width, display_height: height };
}
