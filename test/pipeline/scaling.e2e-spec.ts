// @tf-background-services: runs on the six services of scripts/services.sh (see test/support/background-services.js).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { makeSampleClip } from '@tf/testing';
import { ServiceProcess, startTsProcess } from '../support/processes';
import { waitFor } from '../support/wait';
import { client, ensureServicesUp } from './pipeline-harness';

/** ok-outcome count of one topic in a service's /metrics. */
async function handled(port: number, topic: string): Promise<number> {
  const text = await request(`http://127.0.0.1:${port}/metrics`).then((r) => r.body.text());
  const line = text
    .split('\n')
    .find(
      (l) => l.startsWith('tf_messages_handled_total') && l.includes(`topic="${topic}"`) && l.includes('outcome="ok"'),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

// A stage scales by adding consumers to its group: a second validator joins tf-validator and the
// partitions of tf.video.uploaded are split between the two instances.
describe('scaling a stage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-scale-'));
  let second: ServiceProcess;

  beforeAll(async () => {
    ensureServicesUp();
    second = startTsProcess('apps/validator/src/main.ts', { TF_HTTP_PORT: '10091' });
    await second.waitForOutput(/joined group tf-validator/);
    // The group is joined before the HTTP port listens (the Kafka transport starts first).
    await waitFor(
      'the second validator to answer /health',
      async () =>
        (await request('http://127.0.0.1:10091/health')
          .then((r) => r.statusCode)
          .catch(() => 0)) === 200,
    );
  });
  afterAll(async () => {
    await second.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('two validators in one consumer group split the work, and every job is processed once', async () => {
    const api = client();
    const before = await Promise.all([handled(10081, 'tf.video.uploaded'), handled(10091, 'tf.video.uploaded')]);
    const clip = await makeSampleClip(join(dir, 'tiny.mp4'), { width: 320, height: 240, durationS: 1, tone: true });
    // Random job ids spread over 6 partitions; 12 jobs all landing on one member's 3 is ~1 in 2000.
    const jobs = await Promise.all(
      Array.from({ length: 12 }, () =>
        api.uploadFile(clip, { enableHls: false, enableTranscription: false, targetResolutions: ['360p'] }),
      ),
    );
    const finished = await Promise.all(jobs.map((j) => api.waitForJob(j.job_id)));
    expect(finished.map((j) => j.status)).toEqual(Array(12).fill('completed'));
    const after = await Promise.all([handled(10081, 'tf.video.uploaded'), handled(10091, 'tf.video.uploaded')]);
    const share = after.map((n, i) => n - before[i]);
    expect(share[0]).toBeGreaterThan(0);
    expect(share[1]).toBeGreaterThan(0);
    expect(share[0] + share[1]).toBe(12);
  });
});
