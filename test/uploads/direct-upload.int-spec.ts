// Direct (client-to-S3) uploads on the real stack with the pipeline running: a ~300 MB multipart upload whose part 2 fails
// once and is retried alone, the part list and idempotent complete, a real video through a single
// presigned PUT and the whole pipeline, and the refusals (size, tenant, state, validation, scopes).
import { execFileSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { Buckets, ObjectStorage } from '@tf/storage';
import { makeSampleClip } from '@tf/testing';
import { makeTempDir, removeDir } from '../../libs/media/src/testing/lavfi-fixtures';
import { GatewayProcess, connectDb, newBootstrapKey, startGateway, waitForStatus } from '../gateway/gateway-harness';
import { startService } from '../jobs/jobs-harness';
import { ServiceProcess, repoRoot } from '../support/processes';
import { waitFor } from '../support/wait';
import { UploadView, api, putRange, sha256OfStream, writeRandomFile } from './direct-upload-client';

const MIB = 1024 * 1024;
// No job of this file asks for a transcript, and a job without one completes without the transcriber
// (the gateway's fan-in): it is not started (its Whisper model load is the costliest start-up of the four).
const PIPELINE = ['validator', 'transcoder', 'hls'] as const;
const BIG_BYTES = 300_000_000;

/** A key made on the gateway database with `tflow admin create-key`, as an operator would. */
function cliCreateKey(tenant: string, scopes: string): string {
  const out = execFileSync(
    process.execPath,
    [join(repoRoot, 'bin/tflow.js'), 'admin', 'create-key', '--tenant', tenant, '--scopes', scopes],
    { cwd: '/', encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return out.trim();
}

describe('direct uploads (presigned PUT / S3 multipart)', () => {
  const apiKey = newBootstrapKey();
  const storage = new ObjectStorage();
  let gateway: GatewayProcess;
  let stages: ServiceProcess[] = [];
  let db: Client;
  let dir: string;
  const url = (path: string) => `${gateway.url}${path}`;

  beforeAll(async () => {
    dir = await makeTempDir('tf-itest-uploads-');
    db = await connectDb();
    // The pipeline: one replica of each stage, from source, in the real consumer groups (the background
    // services of scripts/services.sh are stopped around integration test files).
    [gateway, ...stages] = await Promise.all([
      startGateway({ TF_BOOTSTRAP_API_KEY: apiKey, TF_UPLOAD_SWEEP_INTERVAL_S: '3600' }),
      ...PIPELINE.map((app) => startService(app)),
    ]);
  });
  afterAll(async () => {
    await Promise.all(stages.map((s) => s.kill()));
    await gateway?.stop();
    await db?.end();
    if (dir) await removeDir(dir);
  });

  describe('a ~300 MB file in parts, part 2 retried', () => {
    let path: string;
    let sha256: string;
    let created: UploadView;
    const etags = new Map<number, string>();

    beforeAll(async () => {
      path = join(dir, 'big.bin');
      sha256 = await writeRandomFile(path, BIG_BYTES);
    });

    it('plans a multipart upload with a presigned URL per part', async () => {
      const res = await api<UploadView>('POST', url('/api/v1/uploads'), apiKey, {
        filename: 'big.bin',
        bytes: BIG_BYTES,
        content_type: 'application/octet-stream',
        target_resolutions: ['360p'],
        enable_transcription: false,
      });
      expect(res.status).toBe(201);
      created = res.body;
      expect(created).toMatchObject({
        status: 'pending',
        mode: 'multipart',
        bytes: BIG_BYTES,
        part_size: 16 * MIB,
        part_count: 18,
        parts_received: [],
        bytes_received: 0,
        job_id: null,
      });
      const parts = created.upload!.parts!;
      expect(parts.map((p) => p.part_number)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
      expect(parts.reduce((sum, p) => sum + p.bytes, 0)).toBe(BIG_BYTES);
      expect(new Date(created.upload!.expires_at).getTime()).toBeGreaterThan(Date.now());
      // Left pending, the upload expires after TF_UPLOAD_EXPIRY_S (24 h by default).
      expect(Date.parse(created.expires_at) - Date.parse(created.created_at)).toBe(24 * 3600_000);
    });

    it('takes the parts one by one; a part refused by S3 (bad Content-MD5) is simply missing', async () => {
      for (const part of created.upload!.parts!) {
        if (part.part_number === 2) {
          // A corrupted transfer: S3 checks the digest and refuses the part.
          const bad = await putRange(part.url, path, part.offset, part.bytes, {
            'content-md5': Buffer.alloc(16).toString('base64'),
          });
          expect(bad.status).toBe(400);
          expect(bad.body).toContain('BadDigest');
          continue;
        }
        const ok = await putRange(part.url, path, part.offset, part.bytes);
        expect(ok.status).toBe(200);
        etags.set(part.part_number, ok.etag!);
      }
      const view = (await api<UploadView>('GET', url(`/api/v1/uploads/${created.upload_id}`), apiKey)).body;
      expect(view.status).toBe('pending');
      expect(view.missing_parts).toEqual([2]);
      expect(view.parts_received.map((p) => p.part_number)).toEqual([
        1,
        ...Array.from({ length: 16 }, (_, i) => i + 3),
      ]);
      expect(view.bytes_received).toBe(BIG_BYTES - 16 * MIB);
      // Fresh URLs, for the missing part only.
      expect(view.upload!.parts!.map((p) => [p.part_number, p.offset, p.bytes])).toEqual([[2, 16 * MIB, 16 * MIB]]);
    });

    it('will not complete while a part is missing or misnamed', async () => {
      const all = [...etags].map(([part_number, etag]) => ({ part_number, etag }));
      const missing = await api('POST', url(`/api/v1/uploads/${created.upload_id}/complete`), apiKey, {
        parts: [...all, { part_number: 2, etag: 'not-uploaded' }],
      });
      expect(missing.status).toBe(409);
      expect(missing.body).toEqual({
        code: 'PARTS_MISSING',
        message: expect.stringContaining('2'),
        request_id: expect.any(String),
      });
      const unlisted = await api('POST', url(`/api/v1/uploads/${created.upload_id}/complete`), apiKey, { parts: all });
      expect(unlisted.status).toBe(400);
      expect(unlisted.body.code).toBe('INVALID_PARTS');
      expect((await api('POST', url(`/api/v1/uploads/${created.upload_id}/complete`), apiKey, {})).body.code).toBe(
        'INVALID_PARTS',
      );
    });

    it('retries part 2 alone, completes (the gateway joins the parts) and the object is the file, byte for byte', async () => {
      const view = (await api<UploadView>('GET', url(`/api/v1/uploads/${created.upload_id}`), apiKey)).body;
      const part2 = view.upload!.parts![0];
      const retried = await putRange(part2.url, path, part2.offset, part2.bytes);
      expect(retried.status).toBe(200);
      etags.set(2, retried.etag!);

      const wrongEtag = await api('POST', url(`/api/v1/uploads/${created.upload_id}/complete`), apiKey, {
        parts: [...etags].map(([part_number, etag]) => ({
          part_number,
          etag: part_number === 5 ? '"0123456789abcdef0123456789abcdef"' : etag,
        })),
      });
      expect(wrongEtag.status).toBe(400);
      expect(wrongEtag.body.code).toBe('ETAG_MISMATCH');

      const parts = [...etags].sort(([a], [b]) => a - b).map(([part_number, etag]) => ({ part_number, etag }));
      const done = await api<{ job_id: string; upload_id: string }>(
        'POST',
        url(`/api/v1/uploads/${created.upload_id}/complete`),
        apiKey,
        { parts },
      );
      expect(done.status).toBe(202);
      const jobId = done.body.job_id;
      expect(done.body).toEqual({ job_id: expect.stringMatching(/^[0-9a-f-]{36}$/), upload_id: created.upload_id });

      // Retried complete: the same job, and still one job and one VideoUploaded.
      const again = await api<{ job_id: string }>(
        'POST',
        url(`/api/v1/uploads/${created.upload_id}/complete`),
        apiKey,
        { parts },
      );
      expect(again.status).toBe(202);
      expect(again.body.job_id).toBe(jobId);

      const key = `${jobId}/source.bin`;
      const info = await storage.stat(Buckets.raw, key);
      expect(info?.bytes).toBe(BIG_BYTES);
      expect(info?.etag).toMatch(/-18$/);
      expect(await sha256OfStream(await storage.client.getObject(Buckets.raw, key))).toBe(sha256);

      const { rows: jobs } = await db.query(`SELECT tenant_id, source, spec FROM gateway.jobs WHERE id = $1`, [jobId]);
      expect(jobs).toEqual([
        {
          tenant_id: 'default',
          source: { bucket: Buckets.raw, key, bytes: BIG_BYTES, content_type: 'application/octet-stream' },
          spec: expect.objectContaining({
            tenant_id: 'default',
            target_resolutions: ['360p'],
            enable_transcription: false,
          }),
        },
      ]);
      const sent = await waitFor('VideoUploaded relayed', async () => {
        const { rows } = await db.query(`SELECT type, payload, sent_at FROM gateway.outbox WHERE aggregateid = $1`, [
          jobId,
        ]);
        return rows.length === 1 && rows[0].sent_at ? rows : undefined;
      });
      expect(sent[0]).toMatchObject({
        type: 'VideoUploaded',
        payload: { job_id: jobId, original_filename: 'big.bin', source: { key, bytes: BIG_BYTES } },
      });

      const final = (await api<UploadView>('GET', url(`/api/v1/uploads/${created.upload_id}`), apiKey)).body;
      expect(final).toMatchObject({ status: 'completed', job_id: jobId, upload: null });

      // Random bytes are no video: the validator (the real pipeline) refuses the job.
      const job = await waitForStatus(gateway.url, apiKey, jobId, 'failed', 300_000);
      expect(job.error).toMatchObject({ code: expect.any(String) });
      await storage.removePrefix(Buckets.raw, `${jobId}/`);
    });
  });

  it('a real video through one presigned PUT becomes a job the pipeline completes; concurrent completes give one job', async () => {
    const path = await makeSampleClip(join(dir, 'clip.mp4'), { width: 1280, height: 720, durationS: 8, tone: true });
    const bytes = (await stat(path)).size;
    const res = await api<UploadView>('POST', url('/api/v1/uploads'), apiKey, {
      filename: 'clip.mp4',
      bytes,
      target_resolutions: '360p',
      enable_transcription: false,
    });
    expect(res.status).toBe(201);
    const upload = res.body;
    expect(upload).toMatchObject({
      mode: 'single',
      content_type: 'video/mp4',
      part_size: null,
      part_count: null,
      missing_parts: [],
    });
    expect(upload.upload!.headers).toEqual({ 'Content-Type': 'video/mp4' });

    const early = await api('POST', url(`/api/v1/uploads/${upload.upload_id}/complete`), apiKey);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('UPLOAD_INCOMPLETE');

    const put = await putRange(upload.upload!.url!, path, 0, bytes, upload.upload!.headers);
    expect(put.status).toBe(200);
    const view = (await api<UploadView>('GET', url(`/api/v1/uploads/${upload.upload_id}`), apiKey)).body;
    expect(view.bytes_received).toBe(bytes);

    const [a, b] = await Promise.all([
      api<{ job_id: string }>('POST', url(`/api/v1/uploads/${upload.upload_id}/complete`), apiKey),
      api<{ job_id: string }>('POST', url(`/api/v1/uploads/${upload.upload_id}/complete`), apiKey),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.job_id).toBe(b.body.job_id);
    const jobId = a.body.job_id;
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM gateway.outbox WHERE aggregateid = $1 AND type = 'VideoUploaded'`,
      [jobId],
    );
    expect(rows[0].n).toBe(1);

    const job = await waitForStatus(gateway.url, apiKey, jobId, 'completed', 300_000);
    expect(job.source).toMatchObject({ filename: 'clip.mp4', bytes, content_type: 'video/mp4' });
    expect((job.outputs as Array<{ kind: string; label: string }>).map((o) => `${o.kind}:${o.label}`)).toEqual(
      expect.arrayContaining(['rendition:360p', 'hls:master']),
    );
  });

  describe('refusals', () => {
    it('refuses a declared size over the max upload size up front: 413 UPLOAD_TOO_LARGE, nothing planned', async () => {
      const { rows: before } = await db.query(`SELECT count(*)::int AS n FROM gateway.direct_uploads`);
      const res = await api('POST', url('/api/v1/uploads'), apiKey, { filename: 'huge.mp4', bytes: 11 * 1024 ** 3 });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({
        code: 'UPLOAD_TOO_LARGE',
        message: expect.any(String),
        request_id: expect.any(String),
      });
      const { rows: after } = await db.query(`SELECT count(*)::int AS n FROM gateway.direct_uploads`);
      expect(after[0].n).toBe(before[0].n);
    });

    it('validates the job fields like the form upload, and the file facts', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ filename: 'a.mp4', bytes: 10, target_resolutions: '360p,999p' }, 'UNKNOWN_RESOLUTION'],
        [{ filename: 'a.mp4', bytes: 10, webhook_url: 'ftp://x' }, 'INVALID_WEBHOOK_URL'],
        [{ filename: 'a.mp4', bytes: 10, priority: 'urgent' }, 'INVALID_PRIORITY'],
        [{ filename: 'a.mp4', bytes: 10, labels: ['not a label'] }, 'INVALID_LABEL'],
        [{ filename: 'a.mp4', bytes: 0 }, 'EMPTY_FILE'],
        [{ filename: 'a.mp4' }, 'INVALID_SIZE'],
        [{ bytes: 10 }, 'INVALID_FILENAME'],
      ];
      for (const [body, code] of cases) {
        const res = await api('POST', url('/api/v1/uploads'), apiKey, body);
        expect([res.status, res.body.code]).toEqual([400, code]);
      }
    });

    it('carries labels to the job: the upload shows them, the job has them and the job list filters by them', async () => {
      const path = join(dir, 'labelled.bin');
      await writeRandomFile(path, 4096);
      const label = `console-${Date.now()}`;
      const res = await api<UploadView & { labels: string[] }>('POST', url('/api/v1/uploads'), apiKey, {
        filename: 'labelled.mp4',
        bytes: 4096,
        labels: [label, 'draft', label],
      });
      expect(res.status).toBe(201);
      expect(res.body.labels).toEqual([label, 'draft']);
      const upload = res.body;
      expect((await putRange(upload.upload!.url!, path, 0, 4096, upload.upload!.headers)).status).toBe(200);
      const done = await api<{ job_id: string }>('POST', url(`/api/v1/uploads/${upload.upload_id}/complete`), apiKey);
      expect(done.status).toBe(202);
      const job = await api<{ labels: string[] }>('GET', url(`/api/v1/jobs/${done.body.job_id}`), apiKey);
      expect(job.body.labels).toEqual([label, 'draft']);
      const list = await api<{ jobs: Array<{ job_id: string }> }>('GET', url(`/api/v1/jobs?label=${label}`), apiKey);
      expect(list.body.jobs.map((j) => j.job_id)).toEqual([done.body.job_id]);
    });

    it('checks the real size at complete: a single PUT of the wrong size is refused and the upload stays pending (PUT again); a cancelled upload cannot complete', async () => {
      const res = await api<UploadView>('POST', url('/api/v1/uploads'), apiKey, { filename: 'small.mp4', bytes: 1000 });
      const upload = res.body;
      const path = join(dir, 'two-thousand.bin');
      await writeRandomFile(path, 2000);
      expect((await putRange(upload.upload!.url!, path, 0, 2000)).status).toBe(200);
      const mismatch = await api('POST', url(`/api/v1/uploads/${upload.upload_id}/complete`), apiKey);
      expect(mismatch.status).toBe(400);
      expect(mismatch.body).toEqual({
        code: 'SIZE_MISMATCH',
        message: expect.stringContaining('2000'),
        request_id: expect.any(String),
      });
      expect((await api<UploadView>('GET', url(`/api/v1/uploads/${upload.upload_id}`), apiKey)).body.status).toBe(
        'pending',
      );

      const cancelled = await api<UploadView>('DELETE', url(`/api/v1/uploads/${upload.upload_id}`), apiKey);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('aborted');
      const { rows } = await db.query(`SELECT bucket, key FROM gateway.direct_uploads WHERE id = $1`, [
        upload.upload_id,
      ]);
      expect(await storage.exists(rows[0].bucket, rows[0].key)).toBe(false);
      const after = await api('POST', url(`/api/v1/uploads/${upload.upload_id}/complete`), apiKey);
      expect([after.status, after.body.code]).toEqual([409, 'UPLOAD_CANCELLED']);
    });

    it('a cancelled multipart upload drops its parts in S3', async () => {
      const res = await api<UploadView>('POST', url('/api/v1/uploads'), apiKey, { filename: 'm.mp4', bytes: 40 * MIB });
      const upload = res.body;
      const path = join(dir, 'part.bin');
      await writeRandomFile(path, 16 * MIB);
      const first = upload.upload!.parts![0];
      expect((await putRange(first.url, path, 0, first.bytes)).status).toBe(200);
      expect(
        (await api<UploadView>('GET', url(`/api/v1/uploads/${upload.upload_id}`), apiKey)).body.missing_parts,
      ).toEqual([2, 3]);
      const { rows } = await db.query(`SELECT bucket, key, s3_upload_id FROM gateway.direct_uploads WHERE id = $1`, [
        upload.upload_id,
      ]);
      expect(await storage.listUploadedParts(rows[0].bucket, rows[0].key, rows[0].s3_upload_id)).toHaveLength(1);
      expect((await api('DELETE', url(`/api/v1/uploads/${upload.upload_id}`), apiKey)).status).toBe(200);
      // S3 no longer knows the multipart upload (its part URLs are dead) and no object was made.
      expect(await storage.listUploadedParts(rows[0].bucket, rows[0].key, rows[0].s3_upload_id)).toBeNull();
      expect(await storage.exists(rows[0].bucket, rows[0].key)).toBe(false);
      const again = await api<UploadView>('DELETE', url(`/api/v1/uploads/${upload.upload_id}`), apiKey);
      expect([again.status, again.body.status]).toEqual([200, 'aborted']);
    });

    it('keeps uploads to their tenant and needs the right key and scope', async () => {
      const res = await api<UploadView>('POST', url('/api/v1/uploads'), apiKey, { filename: 'mine.mp4', bytes: 100 });
      const id = res.body.upload_id;
      const other = cliCreateKey(`itest-uploads-${process.pid}`, 'jobs:read,jobs:write');
      for (const [method, path] of [
        ['GET', `/api/v1/uploads/${id}`],
        ['POST', `/api/v1/uploads/${id}/complete`],
        ['DELETE', `/api/v1/uploads/${id}`],
      ] as const) {
        const r = await api(method, url(path), other);
        expect([r.status, r.body.code]).toEqual([404, 'UPLOAD_NOT_FOUND']);
      }
      expect((await api('GET', url('/api/v1/uploads/not-a-uuid'), apiKey)).body.code).toBe('UPLOAD_NOT_FOUND');
      const readOnly = cliCreateKey(`itest-uploads-${process.pid}`, 'jobs:read');
      const noScope = await api('POST', url('/api/v1/uploads'), readOnly, { filename: 'x.mp4', bytes: 10 });
      expect([noScope.status, noScope.body.code]).toEqual([403, 'INSUFFICIENT_SCOPE']);
      const noKey = await api('POST', url('/api/v1/uploads'), null, { filename: 'x.mp4', bytes: 10 });
      expect([noKey.status, noKey.body.code]).toEqual([401, 'MISSING_API_KEY']);
      await api('DELETE', url(`/api/v1/uploads/${id}`), apiKey);
    });
  });

  describe('expiry of uploads nobody completes', () => {
    // Two more replicas: one whose sweeper expires uploads after 2 s, one that never sweeps in this test
    // (nor does the file's first gateway).
    let sweeping: GatewayProcess;
    let idle: GatewayProcess;
    beforeAll(async () => {
      [sweeping, idle] = await Promise.all([
        startGateway({ TF_BOOTSTRAP_API_KEY: apiKey, TF_UPLOAD_EXPIRY_S: '2', TF_UPLOAD_SWEEP_INTERVAL_S: '1' }),
        startGateway({ TF_BOOTSTRAP_API_KEY: apiKey, TF_UPLOAD_EXPIRY_S: '1', TF_UPLOAD_SWEEP_INTERVAL_S: '3600' }),
      ]);
    });
    afterAll(async () => {
      await Promise.all([sweeping?.stop(), idle?.stop()]);
    });

    it('the sweeper expires an abandoned multipart upload: S3 drops its parts, and complete answers 410 UPLOAD_EXPIRED', async () => {
      const created = (
        await api<UploadView>('POST', `${sweeping.url}/api/v1/uploads`, apiKey, {
          filename: 'abandoned.mp4',
          bytes: 40 * MIB,
        })
      ).body;
      expect(Date.parse(created.expires_at) - Date.parse(created.created_at)).toBe(2000);
      const path = join(dir, 'abandoned-part.bin');
      await writeRandomFile(path, 16 * MIB);
      const first = created.upload!.parts![0];
      expect((await putRange(first.url, path, 0, first.bytes)).status).toBe(200);
      const { rows } = await db.query(`SELECT bucket, key, s3_upload_id FROM gateway.direct_uploads WHERE id = $1`, [
        created.upload_id,
      ]);
      expect(await storage.listUploadedParts(rows[0].bucket, rows[0].key, rows[0].s3_upload_id)).toHaveLength(1);

      // Read from the table, not through the API (whose read would expire it on the spot): the sweeper did it.
      await waitFor(
        'the sweeper to expire the upload',
        async () => {
          const { rows: now } = await db.query(`SELECT status FROM gateway.direct_uploads WHERE id = $1`, [
            created.upload_id,
          ]);
          return now[0].status === 'expired' || undefined;
        },
        60_000,
      );
      expect(sweeping.process.output()).toMatch(/expired \d+ direct upload\(s\) nobody completed/);
      expect(await storage.listUploadedParts(rows[0].bucket, rows[0].key, rows[0].s3_upload_id)).toBeNull();
      expect(await storage.exists(rows[0].bucket, rows[0].key)).toBe(false);

      const view = (await api<UploadView>('GET', `${url(`/api/v1/uploads/${created.upload_id}`)}`, apiKey)).body;
      expect(view).toMatchObject({ status: 'expired', upload: null, job_id: null, error: { code: 'UPLOAD_EXPIRED' } });
      const complete = await api('POST', url(`/api/v1/uploads/${created.upload_id}/complete`), apiKey, {
        parts: [{ part_number: 1, etag: 'x' }],
      });
      expect([complete.status, complete.body.code]).toEqual([410, 'UPLOAD_EXPIRED']);
      const { rows: jobs } = await db.query(
        `SELECT count(*)::int AS n FROM gateway.jobs WHERE id = (SELECT job_id FROM gateway.direct_uploads WHERE id = $1)`,
        [created.upload_id],
      );
      expect(jobs[0].n).toBe(0);
    });

    it('a due upload that no sweep reached yet expires when completed: 410, its object removed, no job', async () => {
      // No replica sweeps from here on (the file's first gateway sweeps hourly): the complete call must expire it.
      await sweeping.stop();
      const created = (
        await api<UploadView>('POST', `${idle.url}/api/v1/uploads`, apiKey, { filename: 'late.mp4', bytes: 1000 })
      ).body;
      const path = join(dir, 'late.bin');
      await writeRandomFile(path, 1000);
      expect((await putRange(created.upload!.url!, path, 0, 1000)).status).toBe(200);
      const { rows } = await db.query(`SELECT bucket, key FROM gateway.direct_uploads WHERE id = $1`, [
        created.upload_id,
      ]);
      expect(await storage.exists(rows[0].bucket, rows[0].key)).toBe(true);
      await waitFor(
        'the upload to be past its expires_at',
        async () => Date.now() > Date.parse(created.expires_at) + 200 || undefined,
        30_000,
      );

      const complete = await api('POST', `${idle.url}/api/v1/uploads/${created.upload_id}/complete`, apiKey);
      expect([complete.status, complete.body.code]).toEqual([410, 'UPLOAD_EXPIRED']);
      expect(await storage.exists(rows[0].bucket, rows[0].key)).toBe(false);
      const view = (await api<UploadView>('GET', `${idle.url}/api/v1/uploads/${created.upload_id}`, apiKey)).body;
      expect(view).toMatchObject({ status: 'expired', upload: null, error: { code: 'UPLOAD_EXPIRED' } });
      const { rows: jobs } = await db.query(
        `SELECT count(*)::int AS n FROM gateway.jobs WHERE id = (SELECT job_id FROM gateway.direct_uploads WHERE id = $1)`,
        [created.upload_id],
      );
      expect(jobs[0].n).toBe(0);
    });
  });
});
