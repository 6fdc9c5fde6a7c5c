import { extname } from 'node:path';

/** Keeps a plausible extension of the client's file name (ffprobe does not need it, people do). */
function sourceExtension(filename: string): string {
  const ext = extname(filename).toLowerCase();
  return /^\.[a-z0-9]{1,10}$/.test(ext) ? ext : '';
}

/** raw-videos/{job_id}/source{ext}: the client's name never becomes a path. */
export const sourceKey = (jobId: string, filename: string): string => `${jobId}/source${sourceExtension(filename)}`;

/** The name as the client sent it, without directories, bounded. */
export const displayFilename = (filename: string): string => (filename.split(/[\\/]/).pop() ?? '').slice(0, 255);

const VIDEO_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/x-m4v',
  '.mov': 'video/quicktime',
  '.mkv': 'video/x-matroska',
  '.webm': 'video/webm',
  '.avi': 'video/x-msvideo',
  '.ts': 'video/mp2t',
  '.mpg': 'video/mpeg',
  '.mpeg': 'video/mpeg',
};

/** The client's type, unless it is the generic one (curl, many SDKs) and the extension says more. */
export function sourceContentType(clientType: string, filename: string): string {
  const generic = !clientType || clientType === 'application/octet-stream';
  return (generic && VIDEO_TYPES[sourceExtension(filename)]) || clientType || 'application/octet-stream';
}
