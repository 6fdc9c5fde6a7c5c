import { Client } from 'pg';
import { JobProgress, newEnvelope } from '@tf/contracts';
import {
  EventPublisher,
  GatewayProcess,
  JobFixtures,
  connectDb,
  getJob,
  newBootstrapKey,
  send,
  startGateway,
  waitForApplied,
  waitForStatus,
} from '../gateway/gateway-harness';
import { SseClient } from '../gateway/sse-client';
import { stageEvents } from '../gateway/stage-events';

// The job timeline and the Jobs metrics on the real stack: a gateway process (tracker group tf-gateway-jobs)
// fed real Avro events through Kafka, the way a 4K job's stages emit them: the transcode waits 119 s for a
// slot, the transcript is ready long before the encode ends, and the tracker consumes the TranscriptReady
// last (its topic lagged). The timeline must show each wait apart from the work, keep every stage's times
// in order, the overall progress must only go up (GET and SSE agree), and /metrics must count the job.

type Stage = {
  stage: string;
  status: string;
  queued_at: string | null;
  started_at: string | null;
  finished_at: string | null;
};

describe('job timeline and Jobs metrics (real Kafka, Postgres, gateway)', () => {
  const apiKey = newBootstrapKey();
  let gateway: GatewayProcess;
  let db: Client;
  let fixtures: JobFixtures;
  let events: EventPublisher;
  let sse: SseClient | undefined;

  beforeAll(async () => {
    db = await connectDb();
    fixtures = await JobFixtures.open();
    events = await EventPublisher.connect();
    gateway = await startGateway({ TF_BOOTSTRAP_API_KEY: apiKey });
  });
  afterAll(async () => {
    sse?.close();
    await gateway?.stop();
    await events?.disconnect();
    await fixtures?.close();
    await db?.end();
  });

  /** The value of one series of the gateway's /metrics: the line of `name` carrying every label given (0 when absent). */
  const metric = async (name: string, labels: Record<string, string> = {}): Promise<number> => {
    const text = (await send(`${gateway.url}/metrics`)).body;
    const line = text
      .split('\n')
      .find(
        (l) =>
          (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) &&
          Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
      );
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  const FINISHED = ['tf_jobs_finished_total', { outcome: 'completed', error_code: '' }] as const;
  const QUEUE_WAITS = ['tf_job_queue_wait_seconds_count'] as const;
  const DURATIONS = ['tf_job_duration_seconds_count', { outcome: 'completed' }] as const;

  it('shows queued apart from running, no stage finishing before it starts, progress only going up, and counts the job', async () => {
    const job = await fixtures.create('default', { enable_transcription: true, enable_hls: true });
    const t = (s: number) => job.createdAt.getTime() + s * 1000;
    const iso = (s: number) => new Date(t(s)).toISOString();
    const e = stageEvents(job);
    const started = (stage: string, s: number, percent = 0): JobProgress => ({
      ...newEnvelope(job.id),
      occurred_at: t(s),
      stage,
      percent,
      message: null,
      next_attempt_at: null,
    });
    const before = {
      finished: await metric(...FINISHED),
      waits: await metric(...QUEUE_WAITS),
      durations: await metric(...DURATIONS),
    };
    sse = await SseClient.open(`${gateway.url}/api/v1/events/jobs/${job.id}`, apiKey);
    await sse.waitForEvent('state', (x) => x.event === 'state');

    // The validator starts 1 s after the upload and validates; the transcode's input is then there.
    const validateStart = started('validate', 1);
    const validated = { ...e.validated(), occurred_at: t(2) };
    await events.publish('JobProgress', validateStart);
    await events.publish('VideoValidated', validated);
    await waitForApplied(db, [validateStart.event_id, validated.event_id]);
    const waiting = (await getJob(gateway.url, apiKey, job.id)).json() as {
      overall_progress: number;
      timeline: Stage[];
    };
    const at = (view: { timeline: Stage[] }, stage: string) => view.timeline.find((x) => x.stage === stage);
    expect(at(waiting, 'validate')).toMatchObject({
      status: 'completed',
      queued_at: iso(0),
      started_at: iso(1),
      finished_at: iso(2),
    });
    expect(at(waiting, 'transcode')).toMatchObject({ status: 'queued', queued_at: iso(2), started_at: null });
    expect(waiting.overall_progress).toBe(5); // only the validation (weight 5 of 100) is done

    const transcodeStart = started('transcode', 121);
    const halfway = started('transcode', 200, 50);
    const renditions = { ...e.renditions(), occurred_at: t(400) };
    const packageStart = started('package', 401);
    const packaged = { ...e.packaged(true), occurred_at: t(420) };
    const transcript = { ...e.transcript(), occurred_at: t(40) };
    await events.publish('JobProgress', transcodeStart);
    await events.publish('JobProgress', halfway);
    await events.publish('RenditionsReady', renditions);
    await events.publish('JobProgress', packageStart);
    await events.publish('VideoPackaged', packaged);
    await waitForApplied(
      db,
      [transcodeStart, halfway, renditions, packageStart, packaged].map((x) => x.event_id),
    );
    await events.publish('TranscriptReady', transcript);
    await waitForApplied(db, [transcript.event_id]);

    const done = (await waitForStatus(gateway.url, apiKey, job.id, 'completed')) as unknown as {
      overall_progress: number;
      timeline: Stage[];
    };
    expect(at(done, 'transcode')).toMatchObject({
      status: 'completed',
      queued_at: iso(2),
      started_at: iso(121),
      finished_at: iso(400),
    });
    expect(at(done, 'package')).toMatchObject({
      status: 'completed',
      queued_at: iso(400),
      started_at: iso(401),
      finished_at: iso(420),
    });
    for (const stage of done.timeline) {
      const times = [stage.queued_at, stage.started_at, stage.finished_at].filter((x): x is string => !!x);
      expect({ stage: stage.stage, times }).toEqual({ stage: stage.stage, times: [...times].sort() });
    }
    expect(done.overall_progress).toBe(100);

    // The stream's overall progress only went up, and ended where GET is.
    await sse.waitForEvent('completed', (x) => x.event === 'completed');
    const seen = sse.events.map((x) => (x.data as { overall_progress?: number }).overall_progress);
    expect(seen.every((p) => typeof p === 'number')).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a! - b!));
    expect(seen.at(-1)).toBe(100);

    expect(await metric(...FINISHED)).toBe(before.finished + 1);
    expect(await metric(...DURATIONS)).toBe(before.durations + 1);
    expect(await metric(...QUEUE_WAITS)).toBe(before.waits + 1);
    // Read from the table at scrape time: this job is one of the completed ones.
    expect(await metric('tf_jobs', { status: 'completed' })).toBeGreaterThanOrEqual(1);
  });
});
