import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { newEnvelope } from '@tf/contracts';
import { ref, stageEvents } from './stage-events';
import { waitFor } from '../support/wait';
import {
  EventPublisher,
  GatewayProcess,
  JobFixtures,
  connectDb,
  newBootstrapKey,
  startGateway,
  waitForApplied,
  waitForStatus,
} from './gateway-harness';

// The job tracker (consumer group tf-gateway-jobs) on the real stack: real Avro events in, job state and exactly one VideoCompleted out.
describe('gateway job tracker', () => {
  const apiKey = newBootstrapKey();
  let gateway: GatewayProcess;
  let db: Client;
  let fixtures: JobFixtures;
  let events: EventPublisher;

  const completedRows = async (jobId: string) =>
    (
      await db.query(
        `SELECT id, payload, sent_at FROM gateway.outbox WHERE aggregateid = $1 AND type = 'VideoCompleted'`,
        [jobId],
      )
    ).rows;

  beforeAll(async () => {
    db = await connectDb();
    fixtures = await JobFixtures.open();
    events = await EventPublisher.connect();
    gateway = await startGateway({ TF_BOOTSTRAP_API_KEY: apiKey });
  });
  afterAll(async () => {
    await gateway?.stop();
    await events?.disconnect();
    await fixtures?.close();
    await db?.end();
  });

  it('completes a job without transcription once transcoded and packaged; duplicates change nothing', async () => {
    const job = await fixtures.create('default', { enable_transcription: false });
    const e = stageEvents(job);
    const renditions = e.renditions();
    const packaged = e.packaged(false);
    const repackaged = e.packaged(false); // the same fact again under a new event id
    const packagedBytes = await events.encode('VideoPackaged', packaged);
    await events.sendRaw('RenditionsReady', job.id, [
      await events.encode('RenditionsReady', renditions),
      await events.encode('RenditionsReady', renditions),
    ]);
    // Same bytes twice (a redelivery), then a re-emission; one key, so one partition, applied in this order.
    await events.sendRaw('VideoPackaged', job.id, [
      packagedBytes,
      packagedBytes,
      await events.encode('VideoPackaged', repackaged),
    ]);
    await waitForApplied(db, [renditions.event_id, packaged.event_id, repackaged.event_id]);
    await waitForStatus(gateway.url, apiKey, job.id, 'completed');
    // VideoValidated last: a transcoder of another test run that picked it up fails only after completion (timeline only).
    const validated = e.validated();
    await events.publish('VideoValidated', validated);
    await waitForApplied(db, [validated.event_id]);

    const view = await waitForStatus(gateway.url, apiKey, job.id, 'completed');
    expect(view).toMatchObject({
      status: 'completed',
      error: null,
      source: { media: { has_audio: true } },
      completed_at: expect.any(String),
    });
    const outputs = view.outputs as Array<{
      kind: string;
      label: string;
      url: string;
      content_type: string;
      bytes: number;
    }>;
    expect(outputs.map((o) => `${o.kind}:${o.label}`)).toEqual([
      'rendition:360p',
      'rendition:720p',
      'hls:master',
      'audio:mp3',
      'thumbnail:thumb-1',
      'thumbnail:thumb-2',
      'thumbnail:thumb-3',
      'thumbnail:thumb-4',
      'thumbnail:thumb-5',
    ]);
    const master = outputs.find((o) => o.kind === 'hls')!;
    expect(master).toMatchObject({ content_type: 'application/vnd.apple.mpegurl', bytes: 600 });
    expect(master.url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:9000/hls-streams/${job.id}/master\\.m3u8\\?.*X-Amz-Signature=`),
    );
    expect(
      (view.timeline as Array<{ stage: string; status: string }>).map((t) => `${t.stage}:${t.status}`).slice(0, 4),
    ).toEqual(['upload:completed', 'validate:completed', 'transcode:completed', 'package:completed']);

    const rows = await completedRows(job.id);
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toMatchObject({ job_id: job.id, spec: { enable_transcription: false, enable_hls: true } });
    expect(rows[0].payload.outputs).toHaveLength(9);
    expect(rows[0].payload.outputs[2]).toEqual({
      kind: 'hls',
      label: 'master',
      object: ref('hls-streams', `${job.id}/master.m3u8`, 'application/vnd.apple.mpegurl', 600),
    });
    await waitFor('VideoCompleted relayed', async () => (await completedRows(job.id))[0].sent_at);
  });

  it('with transcription, waits for TranscriptReady and the packaging with subtitles, then completes once', async () => {
    const job = await fixtures.create('default', { enable_transcription: true });
    const e = stageEvents(job);
    const first = [e.renditions(), e.packaged(false), e.transcript()] as const;
    await events.publish('RenditionsReady', first[0]);
    await events.publish('VideoPackaged', first[1]);
    await events.publish('TranscriptReady', first[2]);
    await waitForApplied(
      db,
      first.map((x) => x.event_id),
    );
    const waiting = await waitForStatus(gateway.url, apiKey, job.id, 'processing');
    expect(
      (waiting.timeline as Array<{ stage: string; status: string; detail: string | null }>).find(
        (t) => t.stage === 'package',
      ),
    ).toMatchObject({
      status: 'running',
      detail: expect.stringContaining('waiting for the transcript'),
    });
    expect(await completedRows(job.id)).toHaveLength(0);

    const withSubtitles = e.packaged(true);
    await events.publish('VideoPackaged', withSubtitles);
    await waitForApplied(db, [withSubtitles.event_id]);
    await waitForStatus(gateway.url, apiKey, job.id, 'completed');
    const late = [e.validated(), e.transcript()] as const;
    await events.publish('VideoValidated', late[0]);
    await events.publish('TranscriptReady', late[1]);
    await waitForApplied(
      db,
      late.map((x) => x.event_id),
    );

    const view = await waitForStatus(gateway.url, apiKey, job.id, 'completed');
    const labels = (view.outputs as Array<{ kind: string; label: string }>)
      .filter((o) => o.kind === 'transcript')
      .map((o) => o.label);
    expect(labels).toEqual(['srt', 'vtt', 'json', 'txt']);
    const rows = await completedRows(job.id);
    expect(rows).toHaveLength(1);
    expect(rows[0].payload.outputs).toHaveLength(13);
  });

  it('fails the job with the first JobFailed code; a later failure is only in the timeline', async () => {
    const job = await fixtures.create('default', { enable_transcription: true });
    const firstFailure = {
      ...newEnvelope(job.id),
      spec: job.spec,
      stage: 'transcode',
      code: 'TRANSCODE_FAILED',
      message: 'ffmpeg exited with 1',
      retryable: false,
    };
    const secondFailure = {
      ...newEnvelope(job.id),
      spec: job.spec,
      stage: 'transcribe',
      code: 'TRANSCRIPTION_FAILED',
      message: 'worker died',
      retryable: true,
    };
    await events.publish('JobFailed', firstFailure);
    await waitForApplied(db, [firstFailure.event_id]);
    await events.publish('JobFailed', secondFailure);
    await waitForApplied(db, [secondFailure.event_id]);

    const view = await waitForStatus(gateway.url, apiKey, job.id, 'failed');
    expect(view.error).toEqual({ code: 'TRANSCODE_FAILED', message: 'ffmpeg exited with 1' });
    const timeline = view.timeline as Array<{ stage: string; status: string; detail: string | null }>;
    expect(timeline.find((t) => t.stage === 'transcode')).toMatchObject({
      status: 'failed',
      detail: 'TRANSCODE_FAILED: ffmpeg exited with 1',
    });
    expect(timeline.find((t) => t.stage === 'transcribe')).toMatchObject({
      status: 'failed',
      detail: 'TRANSCRIPTION_FAILED: worker died',
    });
    expect(await completedRows(job.id)).toHaveLength(0);
  });

  it('records JobProgress on its stage', async () => {
    const job = await fixtures.create('default', { enable_transcription: false, enable_hls: false });
    const progress = {
      ...newEnvelope(job.id),
      stage: 'transcode',
      percent: 37.5,
      message: 'frame 300',
      next_attempt_at: null,
    };
    await events.publish('JobProgress', progress);
    await waitForApplied(db, [progress.event_id]);
    const view = await waitForStatus(gateway.url, apiKey, job.id, 'processing');
    expect((view.timeline as Array<{ stage: string }>).find((t) => t.stage === 'transcode')).toMatchObject({
      status: 'running',
      progress: 37.5,
      detail: 'frame 300',
    });
  });

  it('ignores events of jobs it does not know', async () => {
    const stray = {
      ...newEnvelope(randomUUID()),
      stage: 'transcode',
      percent: 1,
      message: null,
      next_attempt_at: null,
    };
    await events.publish('JobProgress', stray);
    await waitForApplied(db, [stray.event_id]);
    expect((await db.query(`SELECT 1 FROM gateway.jobs WHERE id = $1`, [stray.job_id])).rows).toHaveLength(0);
  });
});
