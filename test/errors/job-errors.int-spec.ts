// §5 "Errors that say what happened, and only that", on the real stack: two jobs fail in ways that used
// to leak (the source deleted before validation: ffprobe's error named the presigned URL; a source ffmpeg
// cannot decode in the transcoder: ffmpeg's stderr named the scratch path and "[... @ 0x...]" addresses).
// Each ends with a listed code; its error, timeline, dead-letter header and the services' logs carry no
// URL, signature, path, host:port or memory address. No timed assertions: every wait polls for a state.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { VideoUploaded, VideoValidated, deadLetterTopicFor, newEnvelope } from '@tf/contracts';
import { JOB_ERROR_CODES, JOB_ERROR_CODE_LIST } from '@tf/errors';
import { probeMedia } from '@tf/media';
import { createKafka, kafkaBrokers } from '@tf/messaging';
import { databaseUrl } from '@tf/persistence';
import { Buckets, ObjectStorage, storageConfig } from '@tf/storage';
import { Consumer } from 'kafkajs';
import { makeClip, makeTempDir, removeDir } from '../../libs/media/src/testing/lavfi-fixtures';
import {
  GatewayProcess,
  JobFixtures,
  newBootstrapKey,
  send,
  startGateway,
  waitForStatus,
} from '../gateway/gateway-harness';
import { GatewayDb, startService } from '../jobs/jobs-harness';
import { EventBus } from '../support/event-bus';
import { ServiceProcess } from '../support/processes';
import { waitFor } from '../support/wait';

type Parked = { key: string; headers: Record<string, string> };
type JobBody = {
  status: string;
  error: { code: string; message: string } | null;
  timeline: Array<{ stage: string; status: string; detail: string | null }>;
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Everything that must not leave a process: the stack's own addresses included. */
function leakPatterns(workDir: string): RegExp[] {
  const pg = new URL(databaseUrl());
  return [
    /https?:\/\//i,
    /X-Amz-(Signature|Credential)=(?!<redacted>)/,
    /\b0x[0-9a-f]{6,}/i,
    /127\.0\.0\.1/,
    /localhost:\d/,
    /\bE(CONNREFUSED|CONNRESET|NOENT|TIMEDOUT)\b/,
    new RegExp(escape(storageConfig().endpoint.host)),
    new RegExp(escape(`${pg.hostname}:${pg.port || 5432}`)),
    ...kafkaBrokers().map((b) => new RegExp(escape(b))),
    new RegExp(escape(workDir)),
    new RegExp(`${escape(tmpdir())}/`),
  ];
}

const leaksIn = (text: string, patterns: RegExp[]): string[] =>
  patterns.flatMap((p) => {
    const m = p.exec(text);
    return m ? [`${p} in …${text.slice(Math.max(0, m.index - 80), m.index + 80)}…`] : [];
  });

describe('job errors say what happened, and only that (real stack)', () => {
  const run = randomUUID().slice(0, 8);
  const tenant = `itest-errors-${run}`;
  const storage = new ObjectStorage();
  const bus = new EventBus();
  const dlqReaders: Consumer[] = [];
  const parked = new Map<string, Parked>();
  let fixtures: JobFixtures;
  let gw: GatewayDb;
  let gateway: GatewayProcess;
  let validator: ServiceProcess;
  let transcoder: ServiceProcess;
  let key: string;
  let dir: string;
  let workDir: string;
  let patterns: RegExp[];
  let missing: JobBody;
  let undecodable: JobBody;
  let missingId: string;
  let undecodableId: string;

  /** Reads the dead-letter topic of `group` with a fresh consumer group, keeping this run's jobs. */
  async function readDeadLetters(group: string, jobIds: Set<string>): Promise<void> {
    const consumer = createKafka(`itest-errors-dlq-${run}`).consumer({ groupId: `itest-errors-dlq-${group}-${run}` });
    dlqReaders.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopicFor(group), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const k = message.key?.toString() ?? '';
        if (!jobIds.has(k)) return;
        parked.set(k, {
          key: k,
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([h, v]) => [h, String(v)])),
        });
      },
    });
  }

  beforeAll(async () => {
    await storage.ensureBuckets();
    dir = await makeTempDir('tf-itest-errors-');
    workDir = await makeTempDir('tf-itest-errors-work-');
    patterns = leakPatterns(workDir);
    fixtures = await JobFixtures.open();
    gw = await GatewayDb.open();
    // Quick in-process retries: the failures here are permanent, the test only waits for the give-up.
    const retries = { TF_RETRY_BASE_DELAY_MS: '50', TF_RETRY_MAX_DELAY_MS: '200' };
    [gateway, validator, transcoder] = await Promise.all([
      startGateway({ TF_BOOTSTRAP_API_KEY: newBootstrapKey() }),
      startService('validator', retries),
      startService('transcoder', { ...retries, TF_WORK_DIR: workDir }),
    ]);
    key = await gw.createKey(tenant, ['jobs:read']);

    // 1. The upload's object is deleted before the validator reads it (the presigned URL then answers 404).
    const gone = await fixtures.create(tenant, {
      target_resolutions: ['360p'],
      enable_hls: false,
      enable_transcription: false,
    });
    missingId = gone.id;
    // 2. The validator's verdict said "video", but the bytes ffmpeg gets are not (a source replaced after validation).
    const clip = await makeClip(join(dir, 'clip.mp4'), {
      width: 320,
      height: 240,
      durationS: 1,
      fps: 10,
      faststart: true,
    });
    const broken = await fixtures.create(tenant, {
      target_resolutions: ['360p'],
      enable_hls: false,
      enable_transcription: false,
    });
    undecodableId = broken.id;
    const source = await storage.putText(
      Buckets.raw,
      broken.source.key,
      'these bytes are not a video\n'.repeat(200),
      'video/mp4',
    );

    await Promise.all([
      readDeadLetters('tf-validator', new Set([missingId])),
      readDeadLetters('tf-transcoder', new Set([undecodableId])),
    ]);
    const uploaded: VideoUploaded = {
      ...newEnvelope(missingId),
      source: gone.source,
      original_filename: 'gone.mp4',
      spec: gone.spec,
    };
    const validated: VideoValidated = {
      ...newEnvelope(undecodableId),
      source,
      spec: broken.spec,
      media: await probeMedia(clip),
      only_stage: null,
    };
    await Promise.all([bus.publish('VideoUploaded', uploaded), bus.publish('VideoValidated', validated)]);

    [missing, undecodable] = (await Promise.all([
      waitForStatus(gateway.url, key, missingId, 'failed', 180_000),
      waitForStatus(gateway.url, key, undecodableId, 'failed', 180_000),
    ])) as unknown as JobBody[];
    await waitFor(
      'both messages dead-lettered',
      async () => parked.has(missingId) && parked.has(undecodableId),
      120_000,
    );
  });

  afterAll(async () => {
    await Promise.all(dlqReaders.map((c) => c.disconnect()));
    await Promise.all([validator?.kill(), transcoder?.kill(), gateway?.stop()]);
    await bus.close();
    await fixtures?.close();
    await gw?.close();
    await removeDir(dir);
    await removeDir(workDir);
  });

  it('a source deleted before validation: SOURCE_MISSING with the public message, nothing internal', () => {
    expect(missing.error).toEqual({ code: 'SOURCE_MISSING', message: JOB_ERROR_CODES.SOURCE_MISSING.message });
    expect(missing.timeline.find((t) => t.stage === 'validate')).toMatchObject({
      status: 'failed',
      detail: `SOURCE_MISSING: ${JOB_ERROR_CODES.SOURCE_MISSING.message}`,
    });
    expect(leaksIn(JSON.stringify(missing), patterns)).toEqual([]);
  });

  it('a source ffmpeg cannot decode: TRANSCODE_FAILED, no scratch path or ffmpeg address', () => {
    expect(undecodable.error?.code).toBe('TRANSCODE_FAILED');
    expect(undecodable.error?.message).toMatch(/^The video could not be transcoded/);
    expect(undecodable.timeline.find((t) => t.stage === 'transcode')).toMatchObject({ status: 'failed' });
    expect(leaksIn(JSON.stringify(undecodable), patterns)).toEqual([]);
  });

  it('the dead-letter headers name a listed code and carry the redacted error', () => {
    const validatorDlq = parked.get(missingId)!.headers;
    const transcoderDlq = parked.get(undecodableId)!.headers;
    expect(validatorDlq['tf-dlq-error-code']).toBe('SOURCE_MISSING');
    expect(transcoderDlq['tf-dlq-error-code']).toBe('TRANSCODE_FAILED');
    // The operator still learns what happened: ffprobe's HTTP answer stays, its URL does not.
    expect(validatorDlq['tf-dlq-error']).toMatch(/404/);
    for (const headers of [validatorDlq, transcoderDlq]) expect(leaksIn(headers['tf-dlq-error'], patterns)).toEqual([]);
  });

  it("the services' logs hold the failures, redacted", () => {
    const validatorLog = validator.output();
    const transcoderLog = transcoder.output();
    // The failures were logged (so the check below looked at them): the URL and the ffmpeg lines, redacted.
    expect(validatorLog).toMatch(/dead-lettered after \d+ attempt\(s\)/);
    expect(validatorLog).toContain('<url>');
    expect(transcoderLog).toMatch(/dead-lettered after \d+ attempt\(s\)/);
    expect(transcoderLog).toContain('<path>');
    for (const [name, log] of [
      ['validator', validatorLog],
      ['transcoder', transcoderLog],
      ['gateway', gateway.process.output()],
    ]) {
      expect({ name, leaks: leaksIn(log, patterns) }).toEqual({ name, leaks: [] });
    }
  });

  it('the OpenAPI document lists exactly the documented codes as the enum of a job error code', async () => {
    type Schema = { properties?: Record<string, Schema>; enum?: string[]; $ref?: string; allOf?: Schema[] };
    const doc = (await send(`${gateway.url}/docs-json`)).json<{ components: { schemas: Record<string, Schema> } }>();
    // An enum with enumName is a named schema (JobErrorCode) the property refers to.
    const resolve = (s: Schema): Schema =>
      s.$ref ? resolve(doc.components.schemas[s.$ref.split('/').pop()!]) : s.allOf?.length ? resolve(s.allOf[0]) : s;
    const code = resolve(doc.components.schemas.JobErrorDto.properties!.code);
    expect({ code, named: doc.components.schemas.JobErrorCode }).toMatchObject({ code: { enum: JOB_ERROR_CODE_LIST } });
  });
});
