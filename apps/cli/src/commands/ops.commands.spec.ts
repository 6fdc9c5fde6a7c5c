import type { TranscodeFlowClient } from '@tf/client';
import type { PipelineStatus } from '../api';
import { opsCommand } from './ops.commands';

const status: PipelineStatus = {
  read_at: '2026-12-05T17:00:10.000Z',
  window_s: 5,
  stages: [
    {
      stage: 'transcode',
      group: 'tf-transcoder',
      service: 'transcoder',
      state: 'Stable',
      replicas: 2,
      members: [
        { client_id: 'transcoder-a-1', host: '10.0.0.7', assigned_partitions: 9 },
        { client_id: 'transcoder-b-1', host: '10.0.0.8', assigned_partitions: 9 },
      ],
      lag: 10,
      lag_by_lane: { high: 2, normal: 7, low: 1 },
      throughput_per_s: 0.5,
      dead_letters: 3,
      completed_last_hour: 12,
      failed_last_hour: 1,
      recent_failures: [
        {
          job_id: '3f2a9c01-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
          tenant_id: 'acme',
          error_code: 'TRANSCODE_FAILED',
          message: 'The video could not be transcoded',
          failed_at: '2026-12-05T16:59:00.000Z',
        },
      ],
    },
    {
      stage: null,
      group: 'tf-gateway-jobs',
      service: 'gateway',
      state: 'Empty',
      replicas: 0,
      members: [],
      lag: 0,
      lag_by_lane: { high: 0, normal: 0, low: 0 },
      throughput_per_s: null,
      dead_letters: 0,
      completed_last_hour: null,
      failed_last_hour: null,
      recent_failures: [],
    },
  ],
};

async function run(args: string[]) {
  const calls: unknown[] = [];
  const client = {
    pipelineStatus: async (windowS: unknown) => (calls.push(windowS), status),
  } as unknown as TranscodeFlowClient;
  const out: string[] = [];
  const command = opsCommand({ out: (l) => out.push(l), err: () => undefined }, () => client);
  // As the runner does: commander throws instead of exiting, and prints nothing of its own.
  for (const c of [command, ...command.commands]) c.exitOverride().configureOutput({ writeErr: () => undefined });
  await command.parseAsync([...args, '--api-key', 'k'], { from: 'user' });
  return { calls, out };
}

describe('tflow ops status', () => {
  it('reads over the window asked for (5 s by default) and prints one aligned line per stage of the chain', async () => {
    expect((await run(['status'])).calls).toEqual([5]);
    const { calls, out } = await run(['status', '--window', '0']);
    expect(calls).toEqual([0]);
    expect(out[0]).toMatch(
      /^STAGE\s+GROUP\s+REPLICAS\s+LAG \(H\/N\/L\)\s+MSG\/S\s+DEAD LETTERS\s+DONE 1H\s+FAILED 1H\s+STATE$/,
    );
    expect(out[1]).toMatch(/^transcode\s+tf-transcoder\s+2\s+10 \(2\/7\/1\)\s+0\.50\s+3\s+12\s+1\s+Stable$/);
    expect(out[2]).toMatch(/^track\s+tf-gateway-jobs\s+0\s+0 \(0\/0\/0\)\s+-\s+0\s+-\s+-\s+Empty$/);
    expect(out[1].indexOf('tf-transcoder')).toBe(out[2].indexOf('tf-gateway-jobs'));
    expect(out[3]).toBe('read at 2026-12-05T17:00:10.000Z; throughput over 5 s');
  });

  it('refuses a window that is not a whole number of seconds', async () => {
    await expect(run(['status', '--window', '1.5'])).rejects.toThrow(/whole number of seconds/);
  });
});
