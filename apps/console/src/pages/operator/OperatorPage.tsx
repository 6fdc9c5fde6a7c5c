import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, data, type Schemas } from '../../api';
import { EmptyState, ErrorState, LoadingState } from '../../ui';
import '../admin/admin.css';
import { keepPolling } from './keep-polling';

type Status = Schemas['PipelineStatusDto'];
type Stage = Schemas['StageStatusDto'];

/** Seconds between the two readings that give each group's throughput (the answer comes after them). */
const WINDOW_S = 5;
/** Pause between one answer and the next reading. */
const PAUSE_MS = 10_000;

/** The event chain's consumer groups, in order: replicas, lag, throughput, dead letters, recent failures. */
export default function OperatorPage() {
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState(true);
  const [reading, setReading] = useState(false);

  /** Reads once; answers whether reading again makes sense (not after a 4xx). */
  const read = useCallback(async (): Promise<boolean> => {
    setReading(true);
    try {
      setStatus(await data(api.GET('/api/v1/admin/pipeline/status', { params: { query: { window_s: WINDOW_S } } })));
      setError(null);
      return true;
    } catch (e) {
      setError(e);
      return keepPolling(e);
    } finally {
      setReading(false);
    }
  }, []);

  // One reading at a time: the next one starts a pause after the previous answer. The flag is this
  // run's own: Pause then Resume during a reading must not let the old run's loop continue beside the new one.
  useEffect(() => {
    if (!live) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const loop = async () => {
      const again = await read();
      if (stopped) return;
      if (again) timer = setTimeout(loop, PAUSE_MS);
      else setLive(false); // a 4xx answers the same every time: paused; Resume or Retry reads again
    };
    void loop();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [live, read]);

  return (
    <section aria-labelledby="operator-title">
      <div className="section-head">
        <h1 id="operator-title">Operator</h1>
        <div className="row-actions">
          <span className={live ? 'live live-on' : 'live'} data-testid="operator-live">
            {reading ? 'Reading…' : live ? 'Live' : 'Paused'}
          </span>
          <button type="button" className="secondary" onClick={() => setLive((l) => !l)}>
            {live ? 'Pause' : 'Resume'}
          </button>
        </div>
      </div>
      <p className="muted">
        Each consumer group of the event chain, read from Kafka; throughput over {WINDOW_S} s; failures of the last hour
        from the jobs.
        {status && <> Read at {new Date(status.read_at).toLocaleTimeString()}.</>}
      </p>
      {error !== null && (
        <ErrorState
          error={error}
          title="Could not read the pipeline"
          onRetry={() => {
            void read();
          }}
        />
      )}
      {status === null ? (
        error === null && <LoadingState label="Reading the consumer groups…" />
      ) : status.stages.length === 0 ? (
        <EmptyState title="No consumer groups" />
      ) : (
        <ol className="chain" data-testid="pipeline-stages">
          {status.stages.map((stage) => (
            <StageCard key={stage.group} stage={stage} />
          ))}
        </ol>
      )}
    </section>
  );
}

const stageName = (stage: Stage) => stage.stage ?? 'track';
const dash = (n: number | null) => (n === null ? '–' : String(n));

function StageCard({ stage }: { stage: Stage }) {
  const stopped = stage.replicas === 0;
  const titleId = `stage-${stage.group}`;
  return (
    <li className="card stage" data-testid="stage-card" data-group={stage.group} aria-labelledby={titleId}>
      <div className="section-head">
        <h2 id={titleId}>
          {stageName(stage)} <span className="muted">{stage.group}</span>
        </h2>
        <span className={`status ${stopped ? 'status-failed' : 'status-completed'}`} data-testid="stage-state">
          {stage.state}
        </span>
      </div>
      <dl className="figures">
        <div>
          <dt>Replicas</dt>
          <dd data-testid="stage-replicas">{stage.replicas}</dd>
        </div>
        <div>
          <dt>Lag</dt>
          <dd data-testid="stage-lag">
            {stage.lag}{' '}
            <span className="muted" title="high / normal / low lane">
              ({stage.lag_by_lane.high}/{stage.lag_by_lane.normal}/{stage.lag_by_lane.low})
            </span>
          </dd>
        </div>
        <div>
          <dt>Msg/s</dt>
          <dd data-testid="stage-throughput">{stage.throughput_per_s === null ? '–' : stage.throughput_per_s}</dd>
        </div>
        <div>
          <dt>Dead letters</dt>
          <dd data-testid="stage-dead-letters">{stage.dead_letters}</dd>
        </div>
        <div>
          <dt>Done 1 h</dt>
          <dd>{dash(stage.completed_last_hour)}</dd>
        </div>
        <div>
          <dt>Failed 1 h</dt>
          <dd data-testid="stage-failed">{dash(stage.failed_last_hour)}</dd>
        </div>
      </dl>
      <h3>Members</h3>
      {stage.members.length === 0 ? (
        <p className="muted">No replica runs this stage.</p>
      ) : (
        <ul className="members" data-testid="stage-members">
          {stage.members.map((m) => (
            <li key={m.client_id}>
              <code>{m.client_id}</code> <span className="muted">{m.host}</span> · {m.assigned_partitions} partition
              {m.assigned_partitions === 1 ? '' : 's'}
            </li>
          ))}
        </ul>
      )}
      {stage.stage !== null && (
        <>
          <h3>Recent failures</h3>
          {stage.recent_failures.length === 0 ? (
            <p className="muted">None in the last hour.</p>
          ) : (
            <ul className="failures" data-testid="stage-failures">
              {stage.recent_failures.map((f) => (
                <li key={f.job_id} data-job-id={f.job_id}>
                  <Link to={`/jobs/${f.job_id}`}>
                    <code>{f.job_id.slice(0, 8)}</code>
                  </Link>{' '}
                  <span className="muted">{f.tenant_id}</span> <code className="error-code">{f.error_code ?? '?'}</code>{' '}
                  {f.message} <span className="muted">{new Date(f.failed_at).toLocaleTimeString()}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </li>
  );
}
