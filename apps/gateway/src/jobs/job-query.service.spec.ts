import type { ObjectRef } from '@tf/contracts';
import type { ObjectStorage } from '@tf/storage';
import type { GatewayConfig } from '../config/gateway.config';
import { PlaybackLinks } from '../playback-links/playback-links';
import { playbackConfig } from '../playback-links/playback.config';
import type { JobViewDto } from './dto/job.dto';
import { JobQueryService } from './job-query.service';
import { JobRecord, newJobRecord } from './job-record';
import { JobRecordCache } from './job-record-cache';
import type { JobsRepository } from './jobs.repository';

const JOB_ID = '6a1c6b53-3d7b-4a52-9f53-5b8f0f3c1a01';
const PRESIGN_EXPIRY_S = 3600; // URLs signed per 300 s window
const PLAYBACK_TTL_S = 600; // playback links per 60 s window
const ref = (key: string): ObjectRef => ({ bucket: 'processed-videos', key, bytes: 10, content_type: 'video/mp4' });

/** A packaged job with two renditions and an HLS master (three presigned outputs, one playback link). */
const packagedJob = (status: JobRecord['status'] = 'completed', version = 3): JobRecord => ({
  ...newJobRecord(
    {
      id: JOB_ID,
      tenantId: 't1',
      spec: { enable_hls: true, enable_transcription: false } as JobRecord['spec'],
      source: ref(`${JOB_ID}/source.mp4`),
      originalFilename: 'a.mp4',
    },
    new Date('2026-12-05T20:00:00Z'),
  ),
  status,
  version,
  renditions: {
    renditions: ['360p', '720p'].map((label) => ({ label, object: ref(label) })),
    skipped: [],
    audio: null,
    thumbnails: [],
  } as unknown as JobRecord['renditions'],
  packaged: { master: ref('master.m3u8'), variants: [], has_subtitles: false },
});

/** Signs like S3: the URL says when it was signed and for how long. */
const storage = {
  presignClientGet: jest.fn(
    async (bucket: string, key: string, expirySeconds: number, signedAt: Date) =>
      `http://s3/${bucket}/${key}?signed=${signedAt.getTime()}&expires=${expirySeconds}`,
  ),
};
/** When a URL of `storage` stops working (ms since the epoch). */
const urlExpiry = (url: string): number => {
  const q = new URL(url).searchParams;
  return Number(q.get('signed')) + Number(q.get('expires')) * 1000;
};

describe('JobQueryService status read', () => {
  let row: JobRecord;
  let lookups: number;
  let cache: JobRecordCache;
  let service: JobQueryService;

  beforeEach(() => {
    jest.useFakeTimers({ now: Date.parse('2026-12-05T20:10:00.000Z') });
    storage.presignClientGet.mockClear();
    row = packagedJob();
    lookups = 0;
    const jobs = { findForTenant: async () => (lookups++, row) } as unknown as JobsRepository;
    cache = new JobRecordCache({ ttlMs: 3_600_000, maxEntries: 10 });
    cache.setListening(true);
    const playback = new PlaybackLinks(
      playbackConfig({
        TF_PLAYBACK_SECRET: 'Vq3x_8LrT0bZk-2NwYc5Hs7Jd9Fg1Ma4Pe6Ru0Xi2O',
        TF_PUBLIC_URL: 'http://127.0.0.1:18080',
        TF_PLAYBACK_TTL_S: String(PLAYBACK_TTL_S),
      }),
    );
    const config = { presignExpirySeconds: PRESIGN_EXPIRY_S } as GatewayConfig;
    service = new JobQueryService(jobs, storage as unknown as ObjectStorage, config, playback, cache);
  });
  afterEach(() => jest.useRealTimers());

  /** Every link in the view still lives its full expiry from now. */
  const expectFullLife = (view: JobViewDto) => {
    for (const o of view.outputs) expect(urlExpiry(o.url) - Date.now()).toBeGreaterThanOrEqual(PRESIGN_EXPIRY_S * 1000);
    expect(Date.parse(view.playback!.expires_at) - Date.now()).toBeGreaterThanOrEqual(PLAYBACK_TTL_S * 1000);
  };

  it("reads a cached job's view again within its signing windows, and a new one after: every link handed out lives its full expiry", async () => {
    const first = await service.get(JOB_ID, 't1');
    expect(first.outputs).toHaveLength(3);
    expectFullLife(first);
    // 20:10:59.999: the playback link's 60 s window (the shorter) has not ended yet.
    jest.setSystemTime(Date.parse('2026-12-05T20:10:59.999Z'));
    const again = await service.get(JOB_ID, 't1');
    expect(again).toBe(first);
    expectFullLife(again);
    expect(lookups).toBe(1);
    expect(storage.presignClientGet).toHaveBeenCalledTimes(3);

    jest.setSystemTime(Date.parse('2026-12-05T20:11:00.000Z'));
    const next = await service.get(JOB_ID, 't1');
    expect(next).not.toBe(first);
    expectFullLife(next);
    expect(next.playback!.url).not.toBe(first.playback!.url);
    // The output URLs' 300 s window goes on: the same URLs, not signed again.
    expect(next.outputs.map((o) => o.url)).toEqual(first.outputs.map((o) => o.url));
    expect(storage.presignClientGet).toHaveBeenCalledTimes(3);

    jest.setSystemTime(Date.parse('2026-12-05T20:14:59.999Z'));
    expectFullLife(await service.get(JOB_ID, 't1'));
    jest.setSystemTime(Date.parse('2026-12-05T20:15:00.000Z'));
    const signedAgain = await service.get(JOB_ID, 't1');
    expectFullLife(signedAgain);
    expect(storage.presignClientGet).toHaveBeenCalledTimes(6);
    expect(lookups).toBe(1);
  });

  it('renders the new record at once after a change of the job (its notification)', async () => {
    row = packagedJob('processing', 2);
    expect(await service.get(JOB_ID, 't1')).toMatchObject({ status: 'processing' });
    row = packagedJob('completed', 3);
    cache.invalidate(JOB_ID);
    expect(await service.get(JOB_ID, 't1')).toMatchObject({ status: 'completed' });
    expect(lookups).toBe(2);
  });

  it("answers JOB_NOT_FOUND to another tenant's key, with the job cached", async () => {
    await service.get(JOB_ID, 't1');
    await expect(service.get(JOB_ID, 't2')).rejects.toMatchObject({ response: { code: 'JOB_NOT_FOUND' } });
  });
});
