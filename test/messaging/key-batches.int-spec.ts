import { Client } from 'pg';
import type { ServiceProcess } from '../support/processes';
import { MessagingScenario, connectDb } from './messaging-harness';

// A group whose handlers do all their work in processOnce (the job tracker) applies the messages of one key
// that queued up behind the key's running one in ONE transaction (consumer.keyBatchMax): one COMMIT for a
// burst of a job's events. The probe records each effect's transaction id (txid_current()).
describe('messaging: a key batch applies the messages waiting behind a running one in one transaction', () => {
  let db: Client;
  let s: MessagingScenario;
  let consumer: ServiceProcess;

  beforeAll(async () => {
    db = await connectDb();
    s = new MessagingScenario('batches', db, 'itest_batches');
    // The 'hold' job's handler keeps its transaction open 3 s, so that what follows it on its key queues up.
    // No quick retries and no durable ones: a poison message is dead-lettered at its first single attempt.
    consumer = await s.startConsumer({
      TF_TEST_KEY_BATCH_MAX: '16',
      TF_CONSUMER_CONCURRENCY: '8',
      TF_TEST_HANDLER_SLEEP_MS: '3000',
      TF_TEST_SLOW_PREFIX: 'hold',
      TF_RETRY_MAX_ATTEMPTS: '1',
      TF_DURABLE_RETRIES: '0',
    });
  });
  afterAll(async () => {
    await s.stopAll();
    await db.end();
  });

  /** `jobIds` one after the other on one key and partition; the first holds its key (its id starts with 'hold'). */
  const sendOnOneKey = async (key: string, jobIds: string[], duplicateOf?: string) => {
    const values = await Promise.all(jobIds.map((id) => s.encodeUpload(id)));
    const messages = values.map((value) => ({ key, value, partition: 0 }));
    // The same bytes again: the same event id, as a relay re-publish would send it.
    if (duplicateOf) messages.push({ key, value: values[jobIds.indexOf(duplicateOf)], partition: 0 });
    await s.send(messages);
  };

  it('applies the waiting messages of a key together, in order, each once (a duplicate in the batch is skipped)', async () => {
    const [hold] = s.jobIds(1, 'hold');
    const next = s.jobIds(3, 'next');
    await sendOnOneKey(`key-a-${s.run}`, [hold, ...next], next[0]);

    const effects = await s.waitForEffects([hold, ...next]);
    const byJob = new Map(effects.map((e) => [e.job_id, e]));
    for (const id of [hold, ...next]) expect(byJob.get(id)).toMatchObject({ applied: 1 });
    const [holdTx] = byJob.get(hold)!.txids;
    const batchTxs = new Set(next.map((id) => byJob.get(id)!.txids[0]));
    // The three that waited behind 'hold' share one transaction, not hold's.
    expect(batchTxs.size).toBe(1);
    expect(batchTxs.has(holdTx)).toBe(false);
    await consumer.waitForOutput(/with 3 more of its key/);
  });

  it('handles a batch that fails again one message at a time: the good ones apply once each, the poison one is dead-lettered', async () => {
    const [hold] = s.jobIds(1, 'hold-2');
    const [before, after] = s.jobIds(2, 'good');
    const [poison] = s.jobIds(1, 'poison');
    await sendOnOneKey(`key-b-${s.run}`, [hold, before, poison, after]);

    const effects = await s.waitForEffects([hold, before, after]);
    for (const e of effects) expect(e).toMatchObject({ applied: 1 });
    // Handled alone after the rollback: each in a transaction of its own.
    const txs = effects.map((e) => e.txids[0]);
    expect(new Set(txs).size).toBe(3);
    expect(await s.effects([poison])).toEqual([]);
    await consumer.waitForOutput(/3 messages of key key-b-\S+ failed together, handling them one by one/);
    await consumer.waitForOutput(new RegExp(`dead-lettered after 1 attempt\\(s\\): poison message ${poison}`));
    // Once in the batch (rolled back), once alone.
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM ${s.schema}.attempts WHERE job_id = $1`, [poison]);
    expect(rows[0].n).toBe(2);
  });
});
