import { Writable } from 'node:stream';
import pino from 'pino';
import { createJsonLogger, JsonNestLogger } from './logger';

/** A real pino logger of ours writing into memory: what would reach the log file. */
function captureLogs(): { lines: () => Array<Record<string, unknown>>; logger: pino.Logger } {
  const chunks: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => (chunks.push(String(chunk)), done()) });
  const logger = createJsonLogger('test', destination);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const PRESIGNED =
  'http://127.0.0.1:9000/raw-videos/t1/a.mp4?X-Amz-Credential=tfadmin%2F2026&X-Amz-Signature=5f1e0c9d8b7a';
const LEAK = /X-Amz|127\.0\.0\.1|9000|\/tmp\/|0x55d1c2a0/;

describe('the JSON logger redacts', () => {
  it('the message, its interpolations and the fields, nested ones too', () => {
    const { logger, lines } = captureLogs();
    logger.info(`ffprobe failed on ${PRESIGNED}`);
    logger.warn(
      { detail: { url: PRESIGNED, paths: ['/tmp/tf-transcode-1/source.mp4'] }, job_id: 'j1' },
      'attempt %s failed: %s',
      2,
      'connect ECONNREFUSED 127.0.0.1:9000',
    );
    const [first, second] = lines();
    expect(first.msg).toBe('ffprobe failed on <url>');
    expect(second.msg).toBe('attempt 2 failed: connect ECONNREFUSED <host>');
    expect(second.detail).toEqual({ url: '<url>', paths: ['<path>'] });
    expect(second.job_id).toBe('j1');
    expect(JSON.stringify(lines())).not.toMatch(LEAK);
  });

  it('errors: message and stack', () => {
    const { logger, lines } = captureLogs();
    const error = Object.assign(
      new Error(`[mov @ 0x55d1c2a0] moov atom not found in /tmp/tf-x/source.mp4 (${PRESIGNED})`),
      { code: 'CORRUPT' },
    );
    logger.error(error);
    logger.error({ err: error }, 'gave up');
    const [first, second] = lines();
    expect(first.msg).toBe('[mov @ <addr>] moov atom not found in <path> (<url>)');
    expect((first.err as { stack: string }).stack).toMatch(/^Error: \[mov @ <addr>\]/);
    expect(second.msg).toBe('gave up');
    expect(JSON.stringify(lines())).not.toMatch(LEAK);
  });

  it('Nest framework logs (JsonNestLogger), including a stack passed as the trace', () => {
    const { logger, lines } = captureLogs();
    const nest = new JsonNestLogger(logger);
    nest.error(
      `dead-lettered: ${PRESIGNED}`,
      'Error: x\n    at run (/home/app/libs/media/src/run.ts:4:2)',
      'KafkaAvroTransport',
    );
    const [line] = lines();
    expect(line.msg).toBe('dead-lettered: <url>');
    expect(line.stack).toBe('Error: x\n    at run (<path>:4:2)');
    expect(line.context).toBe('KafkaAvroTransport');
  });
});
