/** Where thumbnails are taken, as fractions of the duration: spread out, away from black leaders and end cards. */
export const THUMBNAIL_POSITIONS: readonly number[] = [0.1, 0.3, 0.5, 0.7, 0.9];

export const THUMBNAIL_WIDTH = 640;

/** Thumbnail timestamps in seconds from the start of the video. */
export function thumbnailTimes(durationS: number, positions: readonly number[] = THUMBNAIL_POSITIONS): number[] {
  return positions.map((p) => round3(durationS * p));
}

/**
 * A `select` filter expression that passes exactly one frame per timestamp:
 * the first frame at or after it. `prev_selected_t` is NaN until a frame has
 * been selected; lt(NaN, x) is 0, hence the isnan() term. The expression
 * contains commas, so it must be quoted inside a filter graph.
 */
export function selectFramesAtExpression(times: readonly number[]): string {
  return times.map((t) => `gte(t,${t})*(isnan(prev_selected_t)+lt(prev_selected_t,${t}))`).join('+');
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
