import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, data, useJobEvents, type Schemas } from '../../api';
import { Player, type PlayerHandle } from '../../player/Player';
import { ErrorState, LoadingState } from '../../ui';
import { JobOutputs } from './JobOutputs';
import { StageTimeline } from './StageTimeline';
import { Transcript } from './Transcript';
import { WebhookDeliveries } from './WebhookDeliveries';
import { formatBytes, playbackToken } from './job-format';
import { stablePlayback } from './stable-playback';
import './job.css';

type Job = Schemas['JobViewDto'];

/** Why a job has no transcript, from what it says of itself; null while one may still come. */
function noTranscriptReason(job: Job): string | null {
  if (job.skipped.some((s) => s.label === 'transcript')) return 'No transcript: the source has no audio.';
  const stage = job.timeline.find((s) => s.stage === 'transcribe');
  if (!stage) return 'No transcript: transcription was not asked for.';
  if (['failed', 'skipped', 'cancelled'].includes(stage.status)) return `No transcript: the stage ${stage.status}.`;
  if (job.status === 'failed' || job.status === 'cancelled') return `No transcript: the job ${job.status}.`;
  return null;
}

/** One job: live stages, its error, the player, thumbnails, transcript, outputs and webhook deliveries. */
export default function JobPage() {
  const { id = '' } = useParams();
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const player = useRef<PlayerHandle>(null);
  const reload = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** The job this page shows now: answers and timers of an earlier id are dropped. */
  const shown = useRef(id);
  shown.current = id;

  // A re-read keeps the player's link while it is still good (a new URL would restart the video).
  const show = useCallback((j: Job) => {
    if (j.job_id !== shown.current) return;
    setJob((previous) => ({ ...j, playback: stablePlayback(previous, j, Date.now()) }));
  }, []);
  const load = useCallback(() => {
    data(api.GET('/api/v1/jobs/{id}', { params: { path: { id } } })).then(
      (j) => {
        if (id !== shown.current) return; // job A's late answer under job B's URL
        setError(null);
        show(j);
      },
      (e: unknown) => {
        if (id === shown.current) setError(e);
      },
    );
  }, [id, show]);
  useEffect(() => {
    setJob(null);
    setError(null);
    load();
    return () => {
      clearTimeout(reload.current);
      reload.current = undefined;
    };
  }, [load]);

  // The stream's snapshot and terminal events carry the job; other changes reload it, at most every
  // 0.5 s: a throttle (the first change schedules the read, later ones join it), so steady progress
  // events cannot hold it off as a debounce would.
  const live = useJobEvents(id, (event) => {
    if (event.type === 'state') return show(event.job);
    if (event.event.job) return show(event.event.job);
    if (reload.current !== undefined) return;
    reload.current = setTimeout(() => {
      reload.current = undefined;
      load();
    }, 500);
  });

  if (error !== null && !job) return <ErrorState error={error} title="Could not load the job" onRetry={load} />;
  if (!job) return <LoadingState label="Loading the job…" />;

  const mp4 = [...job.outputs].reverse().find((o) => o.kind === 'rendition') ?? null;
  const transcriptJson = job.outputs.find((o) => o.kind === 'transcript' && o.label === 'json') ?? null;
  const token = job.playback ? playbackToken(job.playback.url) : null;
  const embedUrl = token ? `${location.origin}/embed/${job.job_id}?token=${encodeURIComponent(token)}` : null;

  return (
    <article aria-labelledby="job-title" className="job-page">
      <p>
        <Link to="/jobs">← Jobs</Link>
      </p>
      <header className="job-head">
        <h1 id="job-title">{job.source.filename}</h1>
        <span className={`status status-${job.status}`} data-testid="job-status">
          {job.status}
        </span>
        <span className={`live ${live.live ? 'live-on' : ''}`}>{live.live ? 'Live' : 'Not live'}</span>
      </header>
      <p className="muted">
        <code>{job.job_id}</code> · {formatBytes(job.source.bytes)} · attempt {job.attempt}
        {job.labels.length > 0 && ` · labels ${job.labels.join(', ')}`}
        {job.source.media &&
          ` · ${job.source.media.width}×${job.source.media.height}, ${job.source.media.duration_s.toFixed(1)} s${job.source.media.has_audio ? '' : ', no audio'}`}
      </p>
      {job.status !== 'completed' && job.status !== 'failed' && job.status !== 'cancelled' && (
        <p>
          <progress max={100} value={job.overall_progress} aria-label="Overall progress" />{' '}
          {Math.round(job.overall_progress)} %
        </p>
      )}

      {job.error && (
        <div className="state state-error" role="alert" data-testid="job-error">
          <h2>The job failed</h2>
          <p>
            <code data-testid="job-error-code">{job.error.code}</code>{' '}
            <span data-testid="job-error-message">{job.error.message}</span>
          </p>
        </div>
      )}

      <section aria-labelledby="stages-title" className="card">
        <h2 id="stages-title">Stages</h2>
        <StageTimeline timeline={job.timeline} />
      </section>

      <section aria-labelledby="player-title" className="card">
        <h2 id="player-title">Player</h2>
        {job.playback || mp4 ? (
          <>
            <Player
              // The master playlist gains its subtitles when the transcript lands after packaging, at the
              // same signed URL: hls.js reads the master once, so the player starts afresh when the job moves on.
              key={`${job.status}:${job.outputs.length}`}
              ref={player}
              hlsUrl={job.playback?.url ?? null}
              mp4Url={mp4?.url ?? null}
              title={job.source.filename}
            />
            {embedUrl && (
              <p className="muted">
                Embed:{' '}
                <a href={embedUrl} data-testid="embed-link">
                  player page
                </a>{' '}
                (link valid until {new Date(job.playback!.expires_at).toLocaleString()})
              </p>
            )}
          </>
        ) : (
          <p className="muted" data-testid="player-none">
            {job.status === 'failed' || job.status === 'cancelled'
              ? `Nothing to play: the job ${job.status}.`
              : 'Nothing to play yet: the video appears here once it is transcoded.'}
          </p>
        )}
      </section>

      <div className="job-columns">
        <Transcript
          jsonUrl={transcriptJson?.url ?? null}
          why={noTranscriptReason(job)}
          onSeek={(t) => player.current?.seek(t)}
        />
        <JobOutputs outputs={job.outputs} skipped={job.skipped} />
      </div>

      <WebhookDeliveries jobId={job.job_id} refreshKey={job.status} />
    </article>
  );
}
