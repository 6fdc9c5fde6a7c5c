import { ErrorState } from '../../ui';
import { JobStages } from './JobStages';
import type { UploadItem } from './use-uploads';

const MB = 1_000_000;
const size = (bytes: number) =>
  bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1000))} kB`;

function statusText(item: UploadItem): string {
  const p = item.progress;
  switch (item.state) {
    case 'queued':
      return 'Waiting for the files before it';
    case 'sending': {
      if (!p || p.phase === 'preparing') return 'Starting…';
      const parts = p.parts_total > 1 ? ` · ${p.parts_done} of ${p.parts_total} parts stored` : '';
      return `Sending ${size(p.sent)} of ${size(p.total)}${parts}`;
    }
    case 'completing':
      return 'Sent; starting the job…';
    case 'done':
      return 'Uploaded';
    case 'failed':
      return 'Upload failed';
    case 'cancelled':
      return 'Cancelled';
  }
}

/** One file: its progress bar while it goes to storage, then the job it became, live. */
export function UploadRow({ item, onCancel }: { item: UploadItem; onCancel: () => void }) {
  const p = item.progress;
  const percent = p && p.total ? Math.floor((100 * p.sent) / p.total) : 0;
  const active = item.state === 'queued' || item.state === 'sending';
  return (
    <li className="card upload-row" data-testid="upload-row" data-file={item.file.name} data-state={item.state}>
      <div className="upload-head">
        <strong className="upload-name">{item.file.name}</strong>
        <span className="muted">{size(item.file.size)}</span>
        {active && (
          <button
            type="button"
            className="secondary"
            onClick={onCancel}
            aria-label={`Cancel upload of ${item.file.name}`}
          >
            Cancel
          </button>
        )}
      </div>
      <progress
        max={100}
        value={item.state === 'done' || item.state === 'completing' ? 100 : percent}
        aria-label={`Upload of ${item.file.name}`}
        data-testid="upload-progress"
      />
      <p className="upload-status" aria-live="polite" data-testid="upload-status">
        {statusText(item)}
        {item.state !== 'done' && item.state !== 'failed' && item.state !== 'queued' && p && ` (${percent} %)`}
      </p>
      {item.resumedParts > 0 && (
        <p className="resumed" data-testid="upload-resumed">
          {(p?.parts_total ?? 1) > 1
            ? `Resumed: ${item.resumedParts} of ${p!.parts_total} parts were already stored and were not sent again.`
            : 'Resumed: the file was already stored and was not sent again.'}
        </p>
      )}
      {item.state === 'failed' && <ErrorState error={item.error} title={`Could not upload ${item.file.name}`} />}
      {item.jobId && <JobStages jobId={item.jobId} />}
    </li>
  );
}
