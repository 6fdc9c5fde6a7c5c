import { createKafka } from '@tf/messaging';
import { Client } from 'pg';
import { MessagingScenario, connectDb } from './messaging-harness';

// Messages are keyed by job_id, so two tenants' jobs can share a partition, and kafkajs hands a
// partition's messages one at a time. The transport's KeyedDispatcher runs different keys of one
// partition in parallel and commits only up to the lowest unfinished message.
describe('messaging: jobs of one partition run in parallel, commits never pass an unfinished one', () => {
  let db: Client;
  let s: MessagingScenario;

  beforeAll(async () => {
    db = await connectDb();
    s = new MessagingScenario('keys', db);
  });
  afterAll(async () => {
    await s.stopAll();
    await db.end();
  });

  it('a slow job does not hold a later job of the same partition; a crash then redelivers only the unfinished one', async () => {
    const [slow] = s.jobIds(1, 'slow');
    const [quick] = s.jobIds(1, 'quick');
    // The slow job's handler sleeps (inside its transaction) far longer than this test runs.
    // A short session: once it is SIGKILLed, the group gives its partitions away after 6 s, not 30.
    const first = await s.startConsumer({
      TF_CONSUMER_CONCURRENCY: process.env.TF_TEST_KEYS_CONCURRENCY ?? '4',
      TF_TEST_HANDLER_SLEEP_MS: '600000',
      TF_TEST_SLOW_PREFIX: 'slow',
      TF_KAFKA_SESSION_TIMEOUT_MS: '6000',
    });

    // Both in partition 0, the slow one first (offset 0), the quick one behind it (offset 1).
    await s.send([
      { key: slow, value: await s.encodeUpload(slow), partition: 0 },
      { key: quick, value: await s.encodeUpload(quick), partition: 0 },
    ]);

    await first.waitForOutput(new RegExp(`HANDLER_IN_PROGRESS ${slow}`));
    const startedQuickAt = Date.now();
    const [quickEffect] = await s.waitForEffects([quick]);
    console.log(`quick job applied ${Date.now() - startedQuickAt} ms after the slow job of its partition started`);
    expect(quickEffect.applied).toBe(1);
    // Order, not time: the quick job is applied while the slow one, ahead of it in the partition, is still running.
    expect(await s.effects([slow])).toHaveLength(0);
    expect(first.output()).toMatch(new RegExp(`HANDLER_IN_PROGRESS ${slow}`));

    // The commit stays at the slow message (offset 0): nothing past it is marked done.
    const admin = createKafka('itest-keys').admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId: s.group, topics: [s.topic] });
    await admin.disconnect();
    const p0 = committed.partitions.find((p) => p.partition === 0)!;
    expect(BigInt(p0.offset)).toBeLessThanOrEqual(0n);

    // A crash now loses nothing: the next member gets the slow job again, and the quick one is not applied twice.
    await first.kill('SIGKILL');
    const second = await s.startConsumer();
    const [slowEffect] = await s.waitForEffects([slow]);
    expect(slowEffect).toMatchObject({ applied: 1, pids: [second.child.pid] });
    expect((await s.effects([quick]))[0]).toMatchObject({ applied: 1, pids: [first.child.pid] });
  });
});
