import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { request } from 'undici';
import { createKafka } from '@tf/messaging';
import { databaseUrl } from '@tf/persistence';
import { makeSampleClip } from '@tf/testing';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';
import { client, ensureServicesUp, startWebhookReceiver } from '../pipeline/pipeline-harness';
import { signalBackground, stageOf } from './chaos-harness';

/** A transcoder of the tf-transcoder group, started by this test; a short grace so an encode is handed back, not finished. */
async function startTranscoder(port: number): Promise<ServiceProcess> {
  const p = startTsProcess('apps/transcoder/src/main.ts', {
    TF_HTTP_PORT: String(port),
    TF_SHUTDOWN_GRACE_MS: '500',
    TF_PROGRESS_INTERVAL_MS: '500',
  });
  await p.waitForOutput(/joined group tf-transcoder/);
  await waitFor(
    `transcoder :${port} /health`,
    async () =>
      (await request(`http://127.0.0.1:${port}/health`)
        .then((r) => r.statusCode)
        .catch(() => 0)) === 200,
  );
  return p;
}

/**
 * SIGTERM drains: a transcoder stopped mid-encode stops ffmpeg, leaves the message uncommitted and
 * the group; the other transcoder of the group gets the message and the job completes exactly once.
 */
export function sigtermDrainSuite(): void {
  describe('SIGTERM drain', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-sigterm-'));
    const db = new Client({ connectionString: databaseUrl() });
    let transcoders: ServiceProcess[] = [];

    beforeAll(async () => {
      ensureServicesUp();
      await db.connect();
      // Two transcoders of our own, so the test knows which one runs the job and can stop it.
      await signalBackground('transcoder', 'SIGTERM');
      transcoders = await Promise.all([startTranscoder(10092), startTranscoder(10093)]);
      const admin = createKafka('itest-sigterm').admin();
      await admin.connect();
      try {
        await waitFor(
          'tf-transcoder to be stable with both members',
          async () => {
            const [group] = (await admin.describeGroups(['tf-transcoder'])).groups;
            return group.state === 'Stable' && group.members.length === 2;
          },
          90_000,
          500,
        );
      } finally {
        await admin.disconnect();
      }
    });
    afterAll(async () => {
      await Promise.all(transcoders.map((t) => t.kill()));
      await db.end();
      rmSync(dir, { recursive: true, force: true });
    });

    it('a transcoder stopped with SIGTERM mid-encode hands the job back; the other one completes it, once', async () => {
      const api = client();
      const hooks = await startWebhookReceiver();
      try {
        const clip = await makeSampleClip(join(dir, 'clip.mp4'), {
          width: 1280,
          height: 720,
          durationS: 20,
          tone: true,
        });
        const { job_id: jobId } = await api.uploadFile(clip, {
          targetResolutions: ['360p', '720p'],
          enableHls: true,
          enableTranscription: false,
          webhookUrl: hooks.url,
        });

        // Every log line of a handler carries the job id: the transcoder that logs it runs the job.
        const busy = await waitFor(
          'a transcoder to take the job',
          async () => transcoders.find((t) => t.output().includes(jobId)),
          120_000,
        );
        const other = transcoders.find((t) => t !== busy)!;
        await waitFor(
          'the encode to report progress',
          async () => (stageOf(await api.getJob(jobId), 'transcode')?.progress ?? 0) > 0,
          120_000,
          200,
        );
        const progressAtStop = stageOf(await api.getJob(jobId), 'transcode')?.progress;

        await busy.kill('SIGTERM');
        // Exited on its own after the drain (Nest re-raises SIGTERM), not SIGKILLed by the harness 15 s later.
        expect(busy.child.signalCode).toBe('SIGTERM');
        const drained = /drained tf-transcoder in ([\d.]+) s: (\d+) running, (\d+) finished, (\d+) handed back/.exec(
          busy.output(),
        );
        expect(drained?.slice(2)).toEqual(['1', '0', '1']);

        const done = await api.waitForJob(jobId);
        expect(done.status).toBe('completed');
        expect(other.output()).toContain(jobId);
        const labels = done.outputs.map((o) => `${o.kind}:${o.label}`).sort();
        expect(labels).toEqual(
          [
            'audio:mp3',
            'hls:master',
            'rendition:360p',
            'rendition:720p',
            ...[1, 2, 3, 4, 5].map((n) => `thumbnail:thumb-${n}`),
          ].sort(),
        );

        // Exactly once: one RenditionsReady from the transcoders, one VideoCompleted from the tracker, one completion webhook.
        const count = async (schema: string, type: string) =>
          Number(
            (
              await db.query(`SELECT count(*)::int AS n FROM ${schema}.outbox WHERE aggregateid = $1 AND type = $2`, [
                jobId,
                type,
              ])
            ).rows[0].n,
          );
        expect(await count('transcoder', 'RenditionsReady')).toBe(1);
        expect(await count('gateway', 'VideoCompleted')).toBe(1);
        const completions = await waitFor('the completion webhook', async () => {
          const found = hooks.received
            .map((h) => JSON.parse(h.body))
            .filter((b) => b.type === 'video.completed' && b.job_id === jobId);
          return found.length > 0 ? found : undefined;
        });
        expect(new Set(completions.map((c) => c.event_id)).size).toBe(1);
        console.log(
          `SIGTERM at ${progressAtStop}% of the encode; drain took ${drained?.[1]} s; job completed ${Date.parse(String(done.completed_at)) - Date.parse(String(done.created_at))} ms after upload`,
        );
      } finally {
        await hooks.close();
      }
    });
  });
}
