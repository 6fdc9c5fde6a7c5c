import { Client } from 'pg';
import { newEnvelope } from '@tf/contracts';
import {
  EventPublisher,
  GatewayProcess,
  JobFixtures,
  connectDb,
  newBootstrapKey,
  startGateway,
  waitForApplied,
} from './gateway-harness';
import { stageEvents } from './stage-events';
import { SseClient } from './sse-client';
import { waitFor } from '../support/wait';

// SSE on two gateway replicas: whichever replica's tracker consumes an event, its NOTIFY (through
// Postgres) reaches the SSE clients of both.
describe('gateway SSE job events across replicas', () => {
  const apiKey = newBootstrapKey();
  let a: GatewayProcess;
  let b: GatewayProcess;
  let db: Client;
  let fixtures: JobFixtures;
  let events: EventPublisher;
  const clients: SseClient[] = [];

  const open = async (gateway: GatewayProcess, jobId: string, key: string | null = apiKey) => {
    const client = await SseClient.open(`${gateway.url}/api/v1/events/jobs/${jobId}`, key);
    clients.push(client);
    return client;
  };
  const completedBy = (gateway: GatewayProcess, jobId: string) =>
    gateway.process.output().includes(`job ${jobId} completed`);

  beforeAll(async () => {
    db = await connectDb();
    fixtures = await JobFixtures.open();
    events = await EventPublisher.connect();
    [a, b] = await Promise.all([
      startGateway({ TF_BOOTSTRAP_API_KEY: apiKey }),
      startGateway({ TF_BOOTSTRAP_API_KEY: apiKey, TF_SSE_HEARTBEAT_MS: '300' }),
    ]);
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await events?.disconnect();
    await fixtures?.close();
    await db?.end();
  });

  it('streams state, progress and the terminal completed event to clients on both replicas', async () => {
    const job = await fixtures.create('default', { enable_transcription: false });
    const [onA, onB] = [await open(a, job.id), await open(b, job.id)];
    for (const client of [onA, onB]) {
      expect(client.status).toBe(200);
      expect(client.response.headers['content-type']).toMatch(/^text\/event-stream/);
      const first = await client.waitForEvent('state', () => true);
      expect(first).toMatchObject({
        event: 'state',
        id: String(job.version),
        data: { job_id: job.id, status: 'queued' },
      });
    }

    const progress = {
      ...newEnvelope(job.id),
      stage: 'transcode',
      percent: 25,
      message: 'frame 75',
      next_attempt_at: null,
    };
    await events.publish('JobProgress', progress);
    for (const client of [onA, onB]) {
      const p = await client.waitForEvent('progress', (e) => e.event === 'progress');
      expect(p.data).toMatchObject({
        job_id: job.id,
        type: 'progress',
        status: 'processing',
        stage: 'transcode',
        percent: 25,
        detail: 'frame 75',
      });
    }

    const e = stageEvents(job);
    await events.publish('RenditionsReady', e.renditions());
    await events.publish('VideoPackaged', e.packaged(false));
    for (const client of [onA, onB]) {
      const done = await client.waitForEvent('completed', (x) => x.event === 'completed');
      expect(done.data).toMatchObject({
        job_id: job.id,
        type: 'completed',
        status: 'completed',
        job: { status: 'completed' },
      });
      const outputs = (done.data.job as { outputs: Array<{ url: string }> }).outputs;
      expect(outputs).toHaveLength(9);
      expect(outputs.every((o) => o.url.includes('X-Amz-Signature='))).toBe(true);
      await client.waitForEnd();
      expect(client.events.map((x) => x.event)).toEqual(['state', 'progress', 'stage', 'stage', 'completed']);
    }
    // One replica's tracker applied the completion; the client of the other got it through Postgres.
    expect([completedBy(a, job.id), completedBy(b, job.id)].filter(Boolean)).toHaveLength(1);
  });

  it('sends heartbeat comments, and ends with a failed event carrying the error code', async () => {
    const job = await fixtures.create('default', { enable_transcription: true });
    const client = await open(b, job.id);
    await client.waitForEvent('state', (x) => x.event === 'state');
    await waitFor('a heartbeat comment', async () => client.comments.includes('heartbeat'));
    await events.publish('JobFailed', {
      ...newEnvelope(job.id),
      spec: job.spec,
      stage: 'transcode',
      code: 'TRANSCODE_FAILED',
      message: 'ffmpeg exited with 1',
      retryable: false,
    });
    const failed = await client.waitForEvent('failed', (x) => x.event === 'failed');
    expect(failed.data).toMatchObject({
      type: 'failed',
      status: 'failed',
      stage: 'transcode',
      error: { code: 'TRANSCODE_FAILED' },
      job: { status: 'failed', error: { code: 'TRANSCODE_FAILED' } },
    });
    await client.waitForEnd();
  });

  it('resends the state after the LISTEN connection was lost, and keeps streaming', async () => {
    const job = await fixtures.create('default', { enable_transcription: false });
    const client = await open(a, job.id);
    await client.waitForEvent('state', (x) => x.event === 'state');
    const before = a.process.output().split('re-established').length;
    await db.query(
      // By name: the connection's last query is its liveness check's SELECT 1 once it has run (every 5 s).
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'listen:tf_job_events' AND pid <> pg_backend_pid()`,
    );
    await waitFor(
      'LISTEN re-established on replica A',
      async () => a.process.output().split('re-established').length > before,
    );
    await client.waitForEvent('a second state', () => client.named('state').length === 2);
    await events.publish('JobProgress', {
      ...newEnvelope(job.id),
      stage: 'transcode',
      percent: 60,
      message: null,
      next_attempt_at: null,
    });
    const p = await client.waitForEvent('progress', (x) => x.event === 'progress');
    expect(p.data).toMatchObject({ percent: 60 });
  });

  it('sends only the state of a job that already ended, then ends', async () => {
    const job = await fixtures.create('default', { enable_transcription: false, enable_hls: false });
    const ready = stageEvents(job).renditions();
    await events.publish('RenditionsReady', ready);
    await waitForApplied(db, [ready.event_id]);
    const client = await open(a, job.id);
    await client.waitForEnd();
    expect(client.events).toEqual([
      expect.objectContaining({ event: 'state', data: expect.objectContaining({ status: 'completed' }) }),
    ]);
  });

  it('answers 404 JOB_NOT_FOUND and 401 MISSING_API_KEY as JSON before any stream starts', async () => {
    const unknown = await open(a, '00000000-0000-0000-0000-000000000000');
    expect(unknown.status).toBe(404);
    const noKey = await open(a, '00000000-0000-0000-0000-000000000000', null);
    expect(noKey.status).toBe(401);
  });
});
