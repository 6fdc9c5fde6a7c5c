import { HttpStatus } from '@nestjs/common';
import type { PartToComplete, UploadedPart } from '@tf/storage';
import { ApiError } from '../../http/api-error';

const MIB = 1024 * 1024;

/** Smallest part the gateway plans (S3's floor is 5 MiB except for the last part). */
export const MIN_PART_BYTES = 16 * MIB;
/** S3's ceiling on parts per upload. */
export const MAX_PARTS = 10_000;
/** Files up to this size get one presigned PUT instead of a multipart upload. */
const SINGLE_PUT_MAX_BYTES = MIN_PART_BYTES;

export type UploadMode = 'single' | 'multipart';

/** Byte range of one part in the client's file. */
export interface PlannedPart {
  part_number: number;
  offset: number;
  bytes: number;
}

export const modeFor = (bytes: number): UploadMode => (bytes <= SINGLE_PUT_MAX_BYTES ? 'single' : 'multipart');

/** 16 MiB, doubled until the file fits in 10 000 parts (16 MiB covers 156 GiB). */
export function partSizeFor(bytes: number): number {
  let size = MIN_PART_BYTES;
  while (Math.ceil(bytes / size) > MAX_PARTS) size *= 2;
  return size;
}

/** The parts of a file of `bytes`: all of `partSize` except a shorter last one. */
export function planParts(bytes: number, partSize: number): PlannedPart[] {
  const parts: PlannedPart[] = [];
  for (let offset = 0, n = 1; offset < bytes; offset += partSize, n++)
    parts.push({ part_number: n, offset, bytes: Math.min(partSize, bytes - offset) });
  return parts;
}

const unquote = (etag: string): string => etag.trim().replace(/^"|"$/g, '').toLowerCase();

/**
 * Checks a complete request against the plan and what S3 holds, before anything is joined:
 * every planned part named once with the ETag S3 has for it (the client confirms what it sent) and
 * the size the plan gives it. Throws INVALID_PARTS (malformed list), PARTS_MISSING (409: upload
 * them, then complete again), ETAG_MISMATCH or SIZE_MISMATCH (400); returns the parts in order.
 */
export function checkParts(
  planned: readonly PlannedPart[],
  requested: unknown,
  uploaded: readonly UploadedPart[],
): PartToComplete[] {
  if (!Array.isArray(requested) || requested.length === 0) {
    throw ApiError.badRequest(
      'INVALID_PARTS',
      'Send "parts": [{"part_number", "etag"}, ...] with the ETag S3 answered for each part',
    );
  }
  const named = new Map<number, string>();
  for (const p of requested as Array<{ part_number?: unknown; etag?: unknown }>) {
    const n = p?.part_number;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > planned.length) {
      throw ApiError.badRequest(
        'INVALID_PARTS',
        `part_number must be an integer from 1 to ${planned.length}, got ${JSON.stringify(n)}`,
      );
    }
    if (typeof p.etag !== 'string' || !unquote(p.etag))
      throw ApiError.badRequest('INVALID_PARTS', `Part ${n} has no etag`);
    if (named.has(n)) throw ApiError.badRequest('INVALID_PARTS', `Part ${n} is listed twice`);
    named.set(n, unquote(p.etag));
  }
  const unnamed = planned.filter((p) => !named.has(p.part_number)).map((p) => p.part_number);
  if (unnamed.length)
    throw ApiError.badRequest('INVALID_PARTS', `Every part must be listed; missing: ${unnamed.join(', ')}`);

  const held = new Map(uploaded.map((p) => [p.part_number, p]));
  const missing = planned.filter((p) => !held.has(p.part_number)).map((p) => p.part_number);
  if (missing.length)
    throw new ApiError(HttpStatus.CONFLICT, 'PARTS_MISSING', `Parts not received yet: ${missing.join(', ')}`);
  for (const plan of planned) {
    const part = held.get(plan.part_number)!;
    if (unquote(part.etag) !== named.get(plan.part_number)) {
      throw ApiError.badRequest(
        'ETAG_MISMATCH',
        `Part ${plan.part_number}: the stored part has ETag ${unquote(part.etag)}, not ${named.get(plan.part_number)}; upload it again or send its current ETag`,
      );
    }
    if (part.bytes !== plan.bytes) {
      throw ApiError.badRequest(
        'SIZE_MISMATCH',
        `Part ${plan.part_number} has ${part.bytes} bytes; the plan gives it ${plan.bytes} (bytes ${plan.offset}..${plan.offset + plan.bytes - 1} of the file)`,
      );
    }
  }
  return planned.map((p) => ({ part_number: p.part_number, etag: held.get(p.part_number)!.etag }));
}
