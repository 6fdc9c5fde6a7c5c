import { eventConsumeDelay, eventHopDuration } from '@tf/observability';
import { observeEventHop } from './event-hop';

const countAndSum = async (group: string) => {
  const values = (await eventHopDuration.get()).values.filter((v) => v.labels.group === group);
  const of = (name: string) => values.find((v) => v.metricName === name)?.value ?? 0;
  return {
    count: of('tf_event_hop_seconds_count'),
    sum: of('tf_event_hop_seconds_sum'),
    under50ms:
      values.find(
        (v) => v.metricName === 'tf_event_hop_seconds_bucket' && (v.labels as Record<string, unknown>).le === 0.05,
      )?.value ?? 0,
  };
};

describe('observeEventHop', () => {
  it("observes occurred_at → now in seconds, per group; a clock skew's negative hop counts as 0", async () => {
    const now = 1_765_000_000_000;
    observeEventHop('hop-spec', now - 30, undefined, now);
    observeEventHop('hop-spec', now - 2_000, undefined, now);
    observeEventHop('hop-spec', now + 5, undefined, now);
    expect(await countAndSum('hop-spec')).toEqual({ count: 3, sum: 2.03, under50ms: 2 });
    expect((await countAndSum('other-group')).count).toBe(0);
  });

  it('ignores an event without a numeric occurred_at', async () => {
    observeEventHop('hop-spec-none', undefined, undefined);
    observeEventHop('hop-spec-none', '2026-12-05T20:00:00Z', '1765000000000');
    expect((await countAndSum('hop-spec-none')).count).toBe(0);
  });

  it("observes the consume part from the record's timestamp (the relay's produce) to now, beside the hop", async () => {
    const now = 1_765_000_000_000;
    observeEventHop('hop-spec-legs', now - 40, String(now - 15), now);
    observeEventHop('hop-spec-legs', now - 40, undefined, now);
    observeEventHop('hop-spec-legs', now - 40, 'not a time', now);
    const values = (await eventConsumeDelay.get()).values.filter((v) => v.labels.group === 'hop-spec-legs');
    const of = (name: string) => values.find((v) => v.metricName === name)?.value;
    expect({
      count: of('tf_event_consume_delay_seconds_count'),
      sum: of('tf_event_consume_delay_seconds_sum'),
    }).toEqual({ count: 1, sum: 0.015 });
    expect((await countAndSum('hop-spec-legs')).count).toBe(3);
  });
});
