import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { waitFor } from '../support/wait';
import { MessagingScenario, connectDb } from './messaging-harness';

interface LogLine {
  level: number;
  msg: string;
  job_id?: string;
  trace_id?: string;
}

// A job's failing message on the real stack: every line the consumer writes about it (each failed
// attempt's WARN, the dead-letter ERROR) carries the job_id and the trace id of the message's traceparent,
// although they are written between the attempts' spans.
describe('messaging: log lines about a failing message carry its job_id and trace_id', () => {
  let db: Client;
  let s: MessagingScenario;

  beforeAll(async () => {
    db = await connectDb();
  });
  afterAll(async () => {
    await s?.stopAll();
    await db.end();
  });

  it('the retry WARN lines and the dead-letter ERROR line', async () => {
    s = new MessagingScenario('logctx', db);
    const consumer = await s.startConsumer({ TF_RETRY_MAX_ATTEMPTS: '3', TF_RETRY_BASE_DELAY_MS: '100' });
    const [poison] = s.jobIds(1, 'poison');
    const traceId = randomBytes(16).toString('hex');
    const value = await s.encodeUpload(poison);
    await s.send([
      { key: poison, value, headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } },
    ]);

    const lines = await waitFor(
      'the dead-letter line',
      async () => {
        const parsed = consumer
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{') && l.includes(s.topic))
          .map((l) => JSON.parse(l) as LogLine);
        return parsed.some((l) => l.msg.includes('dead-lettered')) ? parsed : undefined;
      },
      60_000,
    );
    const retries = lines.filter((l) => / attempt \d failed: poison message/.test(l.msg));
    const deadLetter = lines.filter((l) => l.msg.includes('dead-lettered after 3 attempt(s)'));
    expect(retries.map((l) => l.level)).toEqual([40, 40]);
    expect(deadLetter.map((l) => l.level)).toEqual([50]);
    for (const line of [...retries, ...deadLetter]) expect(line).toMatchObject({ job_id: poison, trace_id: traceId });
  });
});
