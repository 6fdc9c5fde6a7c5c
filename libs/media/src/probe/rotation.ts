/**
 * Reads a video stream's rotation as the clockwise turn a player applies to
 * show the picture upright (the convention of the old `rotate` tag: phones
 * filming portrait write 90).
 *
 * ffprobe >= 5 reports the display matrix as side data whose `rotation` is
 * counter-clockwise, hence the sign flip. Older builds only have `tags.rotate`,
 * which is already clockwise. fluent-ffmpeg flattens side data keys into the
 * stream object, so the matrix's `rotation` shows up as `stream.rotation`.
 */
export function readRotation(stream: { rotation?: unknown; tags?: Record<string, unknown> }): number {
  const fromMatrix = toFiniteNumber(stream.rotation);
  if (fromMatrix !== undefined) return normalizeQuarterTurn(-fromMatrix);
  const fromTag = toFiniteNumber(stream.tags?.rotate);
  if (fromTag !== undefined) return normalizeQuarterTurn(fromTag);
  return 0;
}

/** Maps any angle onto 0/90/180/270 (nearest quarter turn; players do not do odd angles). */
export function normalizeQuarterTurn(degrees: number): number {
  const quarter = Math.round(degrees / 90);
  return (((quarter % 4) + 4) % 4) * 90;
}

/** True when the picture is shown turned on its side, so width and height swap. */
export function isSideways(rotation: number): boolean {
  return rotation === 90 || rotation === 270;
}

function toFiniteNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}
