// `tflow ops status` on the real stack (a gateway started here from source; the validator started by the
// test when it wants the stage to run): while no validator runs, what is published to its topic shows as
// its lag, per lane, with no replica; once one runs, the lag drains, the replica shows, and the jobs it
// failed show as the last hour's failures and as dead letters. No timed assertions: every wait polls for
// a state.
import { VideoUploaded, laneTopic, newEnvelope } from '@tf/contracts';
import { createKafka } from '@tf/messaging';
import type { Producer } from 'kafkajs';
import { GatewayProcess, newBootstrapKey, startGateway } from '../gateway/gateway-harness';
import { GatewayDb, rand, startService, tflow } from '../jobs/jobs-harness';
import { EventBus } from '../support/event-bus';
import { ServiceProcess } from '../support/processes';
import { waitFor } from '../support/wait';

type StageLine = {
  stage: string | null;
  group: string;
  replicas: number;
  members: Array<{ client_id: string; host: string; assigned_partitions: number }>;
  lag: number;
  lag_by_lane: { high: number; normal: number; low: number };
  throughput_per_s: number | null;
  dead_letters: number;
  completed_last_hour: number | null;
  failed_last_hour: number | null;
  recent_failures: Array<{ job_id: string; tenant_id: string; error_code: string | null; failed_at: string }>;
};
type Status = { read_at: string; window_s: number; stages: StageLine[] };

describe('tflow ops status (real stack)', () => {
  const tenant = `itest-ops-${rand()}`;
  const bus = new EventBus();
  let producer: Producer;
  let gw: GatewayDb;
  let gateway: GatewayProcess;
  let validator: ServiceProcess | undefined;
  let operator: { url: string; key: string };

  const status = async (window = 0): Promise<Status> =>
    JSON.parse((await tflow(['ops', 'status', '--window', String(window), '--json'], operator)).stdout) as Status;
  const validate = (s: Status): StageLine => s.stages.find((l) => l.group === 'tf-validator')!;

  beforeAll(async () => {
    gw = await GatewayDb.open();
    const key = newBootstrapKey();
    gateway = await startGateway({ TF_BOOTSTRAP_API_KEY: key });
    operator = { url: gateway.url, key };
    producer = createKafka(`itest-ops-${rand()}`).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await validator?.kill();
    await gateway?.stop();
    await Promise.all([producer?.disconnect(), bus.close()]);
    await gw?.close();
  });

  it('shows every group of the chain, a stopped stage lagging per lane, then draining, failing and dead-lettering once it runs', async () => {
    // Uploads that earlier files left for a validator that was not running would be drained together with this
    // test's four jobs, and their failures could crowd ours out of the stage's newest five: drain them first.
    if (validate(await status()).lag > 0) {
      const drainer = await startService('validator', { TF_RETRY_BASE_DELAY_MS: '50', TF_RETRY_MAX_DELAY_MS: '200' });
      await waitFor(
        'the validator to drain what earlier files left',
        async () => validate(await status()).lag === 0,
        240_000,
        1_000,
      );
      await drainer.kill();
      await waitFor(
        'the validator group to be empty',
        async () => validate(await status()).replicas === 0,
        60_000,
        1_000,
      );
    }
    const before = await status();
    expect(before.stages.map((l) => l.group)).toEqual([
      'tf-validator',
      'tf-transcoder',
      'tf-transcriber',
      'tf-hls',
      'tf-gateway-jobs',
      'tf-notifier',
    ]);
    expect(before.stages.find((l) => l.group === 'tf-gateway-jobs')).toMatchObject({
      stage: null,
      replicas: 1,
      completed_last_hour: null,
      failed_last_hour: null,
    });
    expect(validate(before)).toMatchObject({ stage: 'validate', replicas: 0, members: [], throughput_per_s: null });
    expect(before.stages.find((l) => l.group === 'tf-gateway-jobs')!.recent_failures).toEqual([]);

    // Three jobs on the normal lane and one on the high lane, whose sources are not there: the validator fails them.
    const jobs = await Promise.all(
      [0, 1, 2, 3].map(() => gw.insertJob(tenant, { spec: { enable_hls: false, enable_transcription: false } })),
    );
    for (const [i, job] of jobs.entries()) {
      const event: VideoUploaded = {
        ...newEnvelope(job.id),
        source: job.source,
        original_filename: 'gone.mp4',
        spec: job.spec,
      };
      const topic = laneTopic('tf.video.uploaded', i === 3 ? 'high' : 'normal');
      await producer.send({
        topic,
        acks: -1,
        messages: [{ key: job.id, value: await bus.codec.encode('VideoUploaded', event, topic) }],
      });
    }
    const waiting = validate(await status());
    expect(waiting.replicas).toBe(0);
    expect(waiting.lag_by_lane.normal - validate(before).lag_by_lane.normal).toBe(3);
    expect(waiting.lag_by_lane.high - validate(before).lag_by_lane.high).toBe(1);
    expect(waiting.lag - validate(before).lag).toBe(4);

    validator = await startService('validator', { TF_RETRY_BASE_DELAY_MS: '50', TF_RETRY_MAX_DELAY_MS: '200' });
    const drained = await waitFor(
      'the validator to drain its lag and fail the four jobs',
      async () => {
        const line = validate(await status(1));
        const failed = (line.failed_last_hour ?? 0) - (validate(before).failed_last_hour ?? 0);
        const parked = line.dead_letters - validate(before).dead_letters;
        return line.lag === 0 && failed >= 4 && parked >= 4 ? line : undefined;
      },
      240_000,
      1_000,
    );
    expect(drained.replicas).toBe(1);
    // The replica by its client id (<service>-<hostname>-<pid>), holding the validator's partitions.
    expect(drained.members).toEqual([
      {
        client_id: expect.stringMatching(/^validator-.+-\d+$/),
        host: expect.any(String),
        assigned_partitions: expect.any(Number),
      },
    ]);
    expect(drained.members[0].assigned_partitions).toBeGreaterThan(0);
    // The four jobs are the stage's newest failures, with their tenant and error code.
    const newest = drained.recent_failures.filter((f) => f.tenant_id === tenant);
    expect(newest.map((f) => f.job_id).sort()).toEqual(jobs.map((j) => j.id).sort());
    for (const f of newest) expect(f.error_code).toMatch(/^[A-Z_]+$/);
    expect(drained.throughput_per_s).toEqual(expect.any(Number));
    expect(drained.throughput_per_s).toBeGreaterThanOrEqual(0);
  });

  it('needs a platform admin key', async () => {
    const tenantAdmin = await gw.createKey(tenant, ['admin']);
    await expect(tflow(['ops', 'status'], { url: gateway.url, key: tenantAdmin })).rejects.toMatchObject({
      code: 3,
      stderr: expect.stringContaining('PLATFORM_ADMIN_REQUIRED'),
    });
  });
});
