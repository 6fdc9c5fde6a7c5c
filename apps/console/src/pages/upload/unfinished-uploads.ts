import { sameFile, type FileFingerprint, type RememberedUpload } from './transfer/resume-store';

/** What the page knows of a file in its queue. */
interface QueuedUpload {
  file: FileFingerprint;
  state: string;
  uploadId: string | null;
}

/** States in which this page is still sending (or about to send) a file. */
const IN_PROGRESS = new Set(['queued', 'sending', 'completing']);

/**
 * The remembered uploads to offer as "unfinished": none that this page is sending right now (by its
 * upload id or the same file), so one upload is never offered for resuming while it runs.
 */
export const unfinishedUploads = (remembered: RememberedUpload[], items: QueuedUpload[]): RememberedUpload[] =>
  remembered.filter(
    (r) => !items.some((i) => IN_PROGRESS.has(i.state) && (i.uploadId === r.upload_id || sameFile(r.file, i.file))),
  );
