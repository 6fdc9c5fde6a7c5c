import { createKafka } from '@tf/messaging';
import { Client } from 'pg';
import { waitFor } from '../support/wait';
import { MessagingScenario, connectDb } from './messaging-harness';

// Proof of the backbone's delivery guarantees on the real stack: Kafka, Apicurio, Postgres.
describe('messaging: outbox → Kafka (Avro) → idempotent consumer', () => {
  let db: Client;
  const scenarios: MessagingScenario[] = [];
  const scenario = (name: string) => {
    const s = new MessagingScenario(name, db);
    scenarios.push(s);
    return s;
  };

  beforeAll(async () => {
    db = await connectDb();
  });
  afterEach(async () => {
    await Promise.all(scenarios.splice(0).map((s) => s.stopAll()));
  });
  afterAll(async () => {
    await db.end();
  });

  it('(a) carries an event from one service outbox to a consumer in another process, Avro-decoded', async () => {
    const s = scenario('a');
    await s.createTopic();
    const [jobId] = s.jobIds(1);
    // Both processes start at once (the consumer reads from the beginning): start-up is most of this test.
    const producer = s.startProducer([jobId]);
    await s.startConsumer();
    await producer.waitForOutput(/OUTBOX_DRAINED/);
    const [effect] = await s.waitForEffects([jobId]);
    expect(effect).toMatchObject({ job_id: jobId, applied: 1, filename: `${jobId}.mp4` });
    const { rows } = await db.query(`SELECT sent_at FROM itest_producer.outbox WHERE aggregateid = $1`, [jobId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].sent_at).not.toBeNull();
  });

  it('(b) applies the same event delivered twice only once', async () => {
    const s = scenario('b');
    const consumer = await s.startConsumer();
    const [jobId] = s.jobIds(1);
    const value = await s.encodeUpload(jobId, 'twice.mp4');
    await s.send([
      { key: jobId, value },
      { key: jobId, value },
    ]);
    await waitFor('two attempts seen', async () => {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM itest_consumer.attempts WHERE job_id = $1`, [
        jobId,
      ]);
      return rows[0].n === 2;
    });
    expect((await s.effects([jobId]))[0].applied).toBe(1);
    expect(consumer.output()).toContain('joined group');
  });

  it('(c) a relay SIGKILLed after producing and before marking re-publishes, and state still changes once', async () => {
    const s = scenario('c');
    await s.createTopic();
    const [jobId] = s.jobIds(1);
    const doomed = s.startProducer([jobId], { TF_TEST_KILL_AFTER_PRODUCE: '1' });
    await s.startConsumer();
    await waitFor('relay killed', async () => doomed.child.signalCode === 'SIGKILL');
    const { rows: unsent } = await db.query(`SELECT sent_at FROM itest_producer.outbox WHERE aggregateid = $1`, [
      jobId,
    ]);
    expect(unsent[0].sent_at).toBeNull();
    await s.waitForEffects([jobId]);
    const restarted = s.startProducer([]);
    await restarted.waitForOutput(/OUTBOX_DRAINED/);
    await waitFor('both copies consumed', async () => {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM itest_consumer.attempts WHERE job_id = $1`, [
        jobId,
      ]);
      return rows[0].n === 2;
    });
    expect((await s.effects([jobId]))[0].applied).toBe(1);
  });

  it('(d) a consumer killed in the middle of its handler processes the event exactly once after restart', async () => {
    const s = scenario('d');
    // A 6 s session (the broker's minimum): the healthy consumer gets the partition 6 s after the kill,
    // not after the default 30 s it would otherwise wait for the dead member to time out.
    const slow = await s.startConsumer({ TF_TEST_HANDLER_SLEEP_MS: '120000', TF_KAFKA_SESSION_TIMEOUT_MS: '6000' });
    const [jobId] = s.jobIds(1);
    s.startProducer([jobId]);
    await slow.waitForOutput(new RegExp(`HANDLER_IN_PROGRESS ${jobId}`));
    await slow.kill('SIGKILL');
    expect(await s.effects([jobId])).toHaveLength(0);
    const healthy = await s.startConsumer();
    const [effect] = await s.waitForEffects([jobId]);
    expect(effect.applied).toBe(1);
    expect(effect.pids).toEqual([healthy.child.pid]);
  });

  it('(e) parks a poison message in the DLQ after N attempts with growing delays; the partition keeps flowing', async () => {
    const s = scenario('e');
    const attempts = 4;
    await s.startConsumer({ TF_RETRY_MAX_ATTEMPTS: String(attempts), TF_RETRY_BASE_DELAY_MS: '400' });
    const [poison] = s.jobIds(1, 'poison');
    const behind = s.jobIds(3);
    // One key for all four messages: one partition, the poison message first.
    await s.send(
      await Promise.all(
        [poison, ...behind].map(async (jobId) => ({ key: 'same-partition', value: await s.encodeUpload(jobId) })),
      ),
    );

    const effects = await s.waitForEffects(behind);
    expect(effects.map((e) => e.applied)).toEqual([1, 1, 1]);

    const { rows } = await db.query(
      `SELECT attempt, extract(epoch from at) * 1000 AS ms FROM itest_consumer.attempts WHERE job_id = $1 ORDER BY at`,
      [poison],
    );
    expect(rows.map((r) => r.attempt)).toEqual([1, 2, 3, 4]);
    const gaps = rows.slice(1).map((r, i) => Number(r.ms) - Number(rows[i].ms));
    // Equal-jitter backoff: each delay lies in [b·2^(n-1)/2, b·2^(n-1)], so they never shrink.
    expect(gaps[0]).toBeGreaterThanOrEqual(200);
    expect(gaps[1]).toBeGreaterThanOrEqual(gaps[0] * 0.9);
    expect(gaps[2]).toBeGreaterThan(gaps[0]);

    const dlq = createKafka('itest-e').consumer({ groupId: `${s.group}-dlq-reader` });
    await dlq.connect();
    await dlq.subscribe({ topic: `tf.dlq.${s.group}`, fromBeginning: true });
    const parked = await new Promise<{ key: string; headers: Record<string, string> }>((resolve) => {
      void dlq.run({
        eachMessage: async ({ message }) =>
          resolve({
            key: String(message.key),
            headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
          }),
      });
    });
    await dlq.disconnect();
    expect(parked.key).toBe('same-partition');
    expect(parked.headers['tf-dlq-attempts']).toBe(String(attempts));
    expect(parked.headers['tf-dlq-error']).toContain('poison message');
    expect(parked.headers['tf-dlq-original-topic']).toBe(s.topic);

    // The job behind the poison message fails with a reason, through the consumer's outbox.
    const { rows: failed } = await db.query(
      `SELECT payload FROM itest_consumer.outbox WHERE aggregateid = $1 AND type = 'JobFailed'`,
      [poison],
    );
    expect(failed).toHaveLength(1);
    expect(failed[0].payload).toMatchObject({ stage: 'probe', code: 'INTERNAL_ERROR', retryable: true });
  });

  it('(f) two consumers in one group split the partitions, and every message is processed exactly once', async () => {
    const s = scenario('f');
    await s.createTopic();
    const [first, second] = await Promise.all([s.startConsumer(), s.startConsumer()]);
    // Wait for the rebalance that gives each member its share.
    await s.waitForStableGroup(2);
    const jobIds = s.jobIds(60);
    s.startProducer(jobIds);
    const effects = await s.waitForEffects(jobIds);
    expect(effects.every((e) => e.applied === 1 && e.pids.length === 1)).toBe(true);
    const byPid = new Map<number, number>();
    for (const e of effects) byPid.set(e.pids[0], (byPid.get(e.pids[0]) ?? 0) + 1);
    expect([...byPid.keys()].sort()).toEqual([first.child.pid, second.child.pid].sort());
  });

  it('(g) keeps heartbeating through a handler longer than the session timeout: no rebalance, processed once', async () => {
    const s = scenario('g');
    // A 6 s session and a 12 s handler (twice the session): without heartbeats during the handler the
    // member is evicted, its commit fails, and the event is delivered (attempted) a second time.
    const slow = await s.startConsumer({ TF_KAFKA_SESSION_TIMEOUT_MS: '6000', TF_TEST_HANDLER_SLEEP_MS: '12000' });
    const [jobId] = s.jobIds(1);
    s.startProducer([jobId]);
    await slow.waitForOutput(new RegExp(`HANDLER_IN_PROGRESS ${jobId}`));
    const [effect] = await s.waitForEffects([jobId]);
    expect(effect.applied).toBe(1);
    // Another event behind it proves the offset commit went through (no redelivery of the first).
    const [canary] = s.jobIds(1, 'canary');
    s.startProducer([canary]);
    await s.waitForEffects([canary]);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM itest_consumer.attempts WHERE job_id = $1`, [
      jobId,
    ]);
    expect(rows[0].n).toBe(1);
    // No rebalance once the handler started (a fresh group may rejoin at start-up while new topics' metadata settles).
    const sinceHandlerStarted = slow.output().slice(slow.output().indexOf(`HANDLER_IN_PROGRESS ${jobId}`));
    expect(sinceHandlerStarted).not.toMatch(/joined group/);
  });

  it('(h) several relays on one outbox never publish a row twice (FOR UPDATE SKIP LOCKED)', async () => {
    const s = scenario('h');
    const jobIds = s.jobIds(200);
    // Three relay processes drain the same outbox at once; one of them also wrote the rows.
    const relays = [s.startProducer([]), s.startProducer([]), s.startProducer(jobIds)];
    await Promise.all(relays.map((r) => r.waitForOutput(/PROBE_PRODUCER_STARTED/)));
    await relays[2].waitForOutput(/OUTBOX_DRAINED/);
    const admin = createKafka('itest-h').admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(s.topic);
    await admin.disconnect();
    expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(jobIds.length);
  });
});
