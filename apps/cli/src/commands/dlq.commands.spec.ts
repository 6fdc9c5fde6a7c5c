import type { TranscodeFlowClient } from '@tf/client';
import type { DeadLetterList, ReplayResult } from '../api';
import { dlqCommand } from './dlq.commands';

const JOB = '3f2a9c01-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

const list: DeadLetterList = {
  queues: [
    { group: 'tf-gateway-jobs', topic: 'tf.dlq.tf-gateway-jobs', depth: 0 },
    { group: 'tf-transcoder', topic: 'tf.dlq.tf-transcoder', depth: 2 },
  ],
  dead_letters: [
    {
      group: 'tf-transcoder',
      partition: 4,
      offset: '17',
      job_id: JOB,
      event_type: 'VideoValidated',
      event_id: 'e-1',
      original_topic: 'tf.video.validated',
      error_code: 'TRANSCODE_FAILED',
      error: 'ffmpeg exited 1\n\u001b[31mforged line',
      attempts: 5,
      failed_at: '2026-12-05T17:00:00.000Z',
      job_status: 'failed',
    },
  ],
};

const replay: ReplayResult = {
  group: 'tf-transcoder',
  matched: 2,
  replayed: [{ partition: 4, offset: '17', job_id: JOB, action: 'job_retried', restarted_stages: ['transcode'] }],
  skipped: [
    {
      partition: 4,
      offset: '18',
      job_id: JOB,
      code: 'JOB_NOT_RETRYABLE',
      message: 'it is processing; only failed jobs',
    },
  ],
};

/** `tflow dlq …` against a client faked at its method boundary. */
async function run(args: string[]) {
  const calls: unknown[][] = [];
  const client = {
    listDeadLetters: async (...a: unknown[]) => (calls.push(['list', ...a]), list),
    replayDeadLetters: async (...a: unknown[]) => (calls.push(['replay', ...a]), replay),
  } as unknown as TranscodeFlowClient;
  const out: string[] = [];
  const command = dlqCommand({ out: (l) => out.push(l), err: () => undefined }, () => client);
  // As the runner does: commander throws instead of exiting, and prints nothing of its own.
  for (const c of [command, ...command.commands]) c.exitOverride().configureOutput({ writeErr: () => undefined });
  await command.parseAsync([...args, '--api-key', 'k'], { from: 'user' });
  return { calls, out };
}

describe('tflow dlq', () => {
  it('list asks for the group, job and limit given, and prints the depths, then one escaped line per dead letter', async () => {
    const { calls, out } = await run(['list', '--group', 'tf-transcoder', '--job', JOB, '--limit', '5']);
    expect(calls).toEqual([['list', { group: 'tf-transcoder', jobId: JOB, limit: 5 }]]);
    expect(out[0]).toMatch(/^GROUP\s+DEAD LETTERS$/);
    expect(out[2]).toMatch(/^tf-transcoder\s+2$/);
    const line = out.find((l) => l.includes('4@17'))!;
    expect(line).toContain(`4@17`);
    expect(line).toContain(JOB);
    expect(line).toMatch(
      /failed\s+VideoValidated\s+2026-12-05T17:00:00.000Z\s+TRANSCODE_FAILED\s+ffmpeg exited 1\\n\\x1b\[31mforged line$/,
    );
    expect(out.every((l) => !l.includes('\n'))).toBe(true);
  });

  it('replay names the group and the job, and says what it did with each dead letter', async () => {
    const { calls, out } = await run(['replay', 'tf-transcoder', '--job', JOB]);
    expect(calls).toEqual([['replay', 'tf-transcoder', JOB]]);
    expect(out).toEqual([
      'replayed 1 of 2 dead letter(s) of tf-transcoder',
      `4@17 job ${JOB}: job retried from transcode`,
      `4@18 job ${JOB}: skipped, JOB_NOT_RETRYABLE it is processing; only failed jobs`,
    ]);
  });

  it('--json prints the API answer as it came', async () => {
    const { out } = await run(['replay', 'tf-transcoder', '--json']);
    expect(JSON.parse(out[0])).toEqual(replay);
  });
});
