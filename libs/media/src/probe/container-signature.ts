import { open } from 'node:fs/promises';

/**
 * Recognises a media container by its first bytes. Used only after ffprobe has
 * failed, to tell a damaged media file (CORRUPT_MEDIA) from something that never
 * was media (NOT_MEDIA): ffprobe says "moov atom not found" both for an MP4 cut
 * before its index and for a text file renamed .mp4, but only the first starts
 * with an ISO-BMFF box.
 */
const ISO_BMFF_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'uuid', 'styp']);

export function looksLikeMediaContainer(head: Uint8Array): boolean {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  const startsWith = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);

  if (head.length >= 8 && ISO_BMFF_BOXES.has(ascii(4, 8))) return true; // MP4, MOV, 3GP
  if (startsWith(0x1a, 0x45, 0xdf, 0xa3)) return true; // Matroska / WebM (EBML)
  if (ascii(0, 4) === 'RIFF') return true; // AVI, WAV
  if (ascii(0, 3) === 'FLV') return true;
  if (ascii(0, 4) === 'OggS') return true;
  if (startsWith(0x30, 0x26, 0xb2, 0x75)) return true; // ASF / WMV
  if (startsWith(0x00, 0x00, 0x01, 0xba)) return true; // MPEG program stream
  if (head.length >= 189 && head[0] === 0x47 && head[188] === 0x47) return true; // MPEG-TS: sync byte every 188
  return false;
}

/** Reads the first bytes of a local file or, for http(s) URLs, asks for them with a Range request. */
export async function readHead(pathOrUrl: string, bytes = 192): Promise<Uint8Array> {
  if (/^https?:\/\//i.test(pathOrUrl)) {
    const response = await fetch(pathOrUrl, { headers: { Range: `bytes=0-${bytes - 1}` } });
    if (!response.ok) throw new Error(`GET ${redactQuery(pathOrUrl)} answered ${response.status}`);
    return new Uint8Array(await response.arrayBuffer()).subarray(0, bytes);
  }
  const file = await open(pathOrUrl, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Presigned URLs carry credentials in the query string; keep them out of messages. */
export function redactQuery(pathOrUrl: string): string {
  const q = pathOrUrl.indexOf('?');
  return q === -1 ? pathOrUrl : `${pathOrUrl.slice(0, q)}?…`;
}
