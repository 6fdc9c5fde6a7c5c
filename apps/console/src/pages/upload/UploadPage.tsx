import { useState } from 'react';
import { useSession } from '../../session/session';
import { EmptyState } from '../../ui';
import { DropZone } from './DropZone';
import { JobOptionsFieldset } from './JobOptionsFieldset';
import { DEFAULT_JOB_OPTIONS, optionsProblem, uploadFieldsOf, type JobOptions } from './job-options';
import { UploadRow } from './UploadRow';
import { useUploads } from './use-uploads';
import './upload.css';

const MB = 1_000_000;

/** /upload: job options, a drop zone, one row per file (progress, then its job live), unfinished uploads. */
export default function UploadPage() {
  const session = useSession();
  const [options, setOptions] = useState<JobOptions>(DEFAULT_JOB_OPTIONS);
  const { items, add, cancel, unfinished, discard } = useUploads();
  const problem = optionsProblem(options);
  const canWrite = session.scopes.includes('jobs:write');

  return (
    <section aria-labelledby="upload-title" className="upload-page">
      <h1 id="upload-title">Upload</h1>
      {!canWrite && (
        <EmptyState title="This key cannot upload">
          <p>
            Uploading needs the <code>jobs:write</code> scope; this key has {session.scopes.join(', ') || 'none'}.
          </p>
        </EmptyState>
      )}
      <JobOptionsFieldset options={options} onChange={setOptions} problem={problem} />
      <DropZone disabled={!canWrite || problem !== null} onFiles={(files) => add(files, uploadFieldsOf(options))} />

      {unfinished.length > 0 && (
        <section aria-labelledby="unfinished-title" className="unfinished" data-testid="unfinished-uploads">
          <h2 id="unfinished-title">Unfinished uploads</h2>
          <p className="muted">
            These uploads stopped when the page was left. Drop or choose the same file again to send only what is
            missing.
          </p>
          <ul>
            {unfinished.map((u) => {
              const stored = Object.keys(u.parts).length;
              return (
                <li key={u.upload_id} data-testid="unfinished-upload" data-file={u.file.name}>
                  <strong>{u.file.name}</strong>{' '}
                  <span className="muted">
                    {(u.file.size / MB).toFixed(1)} MB
                    {u.part_count ? ` · ${stored} of ${u.part_count} parts stored` : ''}
                  </span>{' '}
                  <button
                    type="button"
                    className="danger"
                    onClick={() => void discard(u.upload_id)}
                    aria-label={`Discard the unfinished upload of ${u.file.name}`}
                  >
                    Discard
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      )}

      <section aria-labelledby="files-title">
        <h2 id="files-title">Files</h2>
        {items.length === 0 ? (
          <p className="muted" data-testid="no-uploads">
            No files yet on this page.
          </p>
        ) : (
          <ul className="upload-list">
            {items.map((item) => (
              <UploadRow key={item.key} item={item} onCancel={() => cancel(item.key)} />
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
