import { useEffect, useMemo, useState } from 'react';
import type { TranscriptSegment } from '../../../../../libs/transcription/src/types';
import { EmptyState, ErrorState, LoadingState } from '../../ui';
import { formatPosition } from './job-format';

/** transcript.json as the transcriber writes it (libs/transcription toTranscriptJson): the part read here. */
interface TranscriptFile {
  segments: Pick<TranscriptSegment, 'start' | 'end' | 'text'>[];
}

/** The transcript's lines with a search box; clicking a line seeks the player there. */
export function Transcript({
  jsonUrl,
  why,
  onSeek,
}: {
  /** The presigned URL of transcript.json, or null when there is none. */
  jsonUrl: string | null;
  /** Why there is none (e.g. "the source has no audio"), or null while it may still come. */
  why: string | null;
  onSeek: (seconds: number) => void;
}) {
  const [segments, setSegments] = useState<TranscriptFile['segments'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [query, setQuery] = useState('');
  // The URL is presigned afresh on reads; the file behind it is the same, so load it once per job.
  const [loadedFrom, setLoadedFrom] = useState<string | null>(null);
  const fileKey = jsonUrl ? jsonUrl.split('?')[0] : null;

  useEffect(() => {
    if (!jsonUrl || fileKey === loadedFrom) return;
    setLoadedFrom(fileKey);
    setError(null);
    fetch(jsonUrl)
      .then(async (r) => {
        if (!r.ok) throw new Error(`The transcript could not be read (HTTP ${r.status})`);
        return (await r.json()) as TranscriptFile;
      })
      .then((file) => setSegments(file.segments), setError);
  }, [jsonUrl, fileKey, loadedFrom]);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (segments ?? []).filter((s) => !q || s.text.toLowerCase().includes(q));
  }, [segments, query]);

  return (
    <section aria-labelledby="transcript-title" className="card transcript">
      <h2 id="transcript-title">Transcript</h2>
      {!jsonUrl ? (
        <p className="muted" data-testid="transcript-none">
          {why ?? 'No transcript yet.'}
        </p>
      ) : error !== null ? (
        <ErrorState error={error} title="Could not load the transcript" />
      ) : segments === null ? (
        <LoadingState label="Loading the transcript…" />
      ) : segments.length === 0 ? (
        <EmptyState title="No speech was recognised" />
      ) : (
        <>
          <label className="transcript-search">
            Search the transcript <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          </label>
          <p className="muted" aria-live="polite">
            {query ? `${shown.length} of ${segments.length} lines` : `${segments.length} lines`}
          </p>
          <ol className="transcript-lines" data-testid="transcript">
            {shown.map((s) => (
              <li key={`${s.start}-${s.end}`}>
                <button
                  type="button"
                  className="transcript-line"
                  data-testid="transcript-line"
                  data-start={s.start}
                  onClick={() => onSeek(s.start)}
                >
                  <span className="transcript-time">{formatPosition(s.start)}</span> {s.text}
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
