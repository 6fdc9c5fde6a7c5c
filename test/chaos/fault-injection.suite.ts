import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { JobView } from '@tf/client';
import { databaseUrl } from '@tf/persistence';
import { makeSampleClip } from '@tf/testing';
import { waitFor } from '../support/wait';
import { client, ensureServicesUp, startWebhookReceiver } from '../pipeline/pipeline-harness';
import { APPS, App, restartBackground, seededRandom, signalBackground, waitForTerminal } from './chaos-harness';

const JOBS = 6;
/** Distinct services, so no kill waits for an earlier one's restart (restarts run in parallel). */
const KILLS = 4;
/** Generous: the test fails if the jobs are not all done this long after the last restart. */
const SETTLE_BOUND_MS = 300_000;

interface Kill {
  target: App;
  /** Pause before this kill. */
  afterMs: number;
  /** How long the target stays down before the "supervisor" starts it again. */
  downMs: number;
}

/** The kill schedule, all drawn from the seed: replay a failing run with TF_CHAOS_SEED. */
function killSchedule(seed: number): Kill[] {
  const random = seededRandom(seed);
  const targets = [...APPS];
  return Array.from({ length: KILLS }, () => ({
    target: targets.splice(Math.floor(random() * targets.length), 1)[0],
    afterMs: Math.round(1_000 + random() * 3_000),
    downMs: Math.round(500 + random() * 2_500),
  }));
}

function expectedOutputs(transcribed: boolean): string[] {
  const labels = ['audio:mp3', 'hls:master', 'rendition:360p', ...[1, 2, 3, 4, 5].map((n) => `thumbnail:thumb-${n}`)];
  if (transcribed) labels.push(...['json', 'srt', 'txt', 'vtt'].map((ext) => `transcript:${ext}`));
  return labels.sort();
}

/**
 * Fault injection: while jobs run, services are SIGKILLed at random and restarted after a short delay,
 * as a supervisor would. Every job must still complete exactly once, with every output and one
 * completion webhook (distinct TF-Event-Id: webhooks are at-least-once, receivers dedupe on it).
 */
export function faultInjectionSuite(): void {
  describe('fault injection', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-chaos-'));
    const db = new Client({ connectionString: databaseUrl() });

    beforeAll(async () => {
      ensureServicesUp();
      await db.connect();
    });
    afterAll(async () => {
      await db.end();
      rmSync(dir, { recursive: true, force: true });
    });

    it('every job completes exactly once, with all its outputs, through random SIGKILLs of the services', async () => {
      const seed = Number(process.env.TF_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
      const schedule = killSchedule(seed);
      console.log(
        `chaos seed ${seed} (replay: TF_CHAOS_SEED=${seed})\n${schedule.map((k, i) => `  #${i + 1} +${k.afterMs} ms SIGKILL ${k.target}, restarted ${k.downMs} ms later`).join('\n')}`,
      );

      const api = client();
      const hooks = await startWebhookReceiver();
      try {
        const clip = await makeSampleClip(join(dir, 'speech.mp4'), { width: 640, height: 360, durationS: 4 });
        // Uploaded before the first kill: an upload to a gateway being killed is a client-side failure, not a lost job.
        const jobs: Array<{ jobId: string; transcribed: boolean }> = [];
        for (let i = 0; i < JOBS; i++) {
          const transcribed = i % 2 === 0;
          const { job_id } = await api.uploadFile(clip, {
            targetResolutions: ['360p'],
            enableHls: true,
            enableTranscription: transcribed,
            webhookUrl: hooks.url,
          });
          jobs.push({ jobId: job_id, transcribed });
        }

        const startedAt = Date.now();
        const restarts = new Map<App, Promise<void>>();
        for (const [i, kill] of schedule.entries()) {
          await sleep(kill.afterMs);
          await signalBackground(kill.target, 'SIGKILL');
          console.log(`#${i + 1} ${kill.target} SIGKILLed at +${Date.now() - startedAt} ms`);
          restarts.set(
            kill.target,
            sleep(kill.downMs).then(() => restartBackground(kill.target)),
          );
        }
        await Promise.all(restarts.values());
        const chaosMs = Date.now() - startedAt;

        const done: JobView[] = await Promise.all(jobs.map((j) => waitForTerminal(api, j.jobId, SETTLE_BOUND_MS)));
        const settledMs = Date.now() - startedAt;
        expect(done.map((j) => `${j.job_id}:${j.status}`)).toEqual(jobs.map((j) => `${j.jobId}:completed`));
        for (const [i, job] of done.entries()) {
          expect(job.outputs.map((o) => `${o.kind}:${o.label}`).sort()).toEqual(expectedOutputs(jobs[i].transcribed));
        }

        // Exactly one VideoCompleted per job from the tracker, and no failure.
        const { rows } = await db.query(
          `SELECT aggregateid AS job_id, type, count(*)::int AS n FROM gateway.outbox WHERE aggregateid = ANY($1) AND type IN ('VideoCompleted', 'JobFailed') GROUP BY 1, 2`,
          [jobs.map((j) => j.jobId)],
        );
        expect(rows.map((r) => `${r.job_id}:${r.type}:${r.n}`).sort()).toEqual(
          jobs.map((j) => `${j.jobId}:VideoCompleted:1`).sort(),
        );

        // One completion webhook each (by event id), none for a failure.
        const bodies = () =>
          hooks.received.map((h) => JSON.parse(h.body) as { type: string; job_id: string; event_id: string });
        await waitFor(
          'a completion webhook for every job',
          async () => jobs.every((j) => bodies().some((b) => b.type === 'video.completed' && b.job_id === j.jobId)),
          SETTLE_BOUND_MS,
        );
        for (const j of jobs) {
          const events = new Set(
            bodies()
              .filter((b) => b.job_id === j.jobId && b.type === 'video.completed')
              .map((b) => b.event_id),
          );
          expect(events.size).toBe(1);
        }
        expect(bodies().filter((b) => b.type === 'job.failed')).toEqual([]);
        console.log(
          `${KILLS} kills over ${chaosMs} ms; all ${JOBS} jobs completed ${settledMs} ms after the first kill; ` +
            `${hooks.received.length} webhook POSTs for ${JOBS} completions (${hooks.received.length - JOBS} redelivered)`,
        );
      } finally {
        await hooks.close();
      }
    });
  });
}
