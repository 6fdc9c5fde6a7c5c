import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { S3Error } from 'minio';
import { createConnection, createServer } from 'node:net';
import { DatabaseError } from 'pg-protocol';
import { QueryFailedError } from 'typeorm';
import { attributeFailures, attributeTo } from './dependency';
import { JOB_ERROR_CODES, isJobErrorCode } from './job-error-codes';
import { isTransientError, productError, toJobError } from './to-job-error';

/** A real errno error: a TCP connect to a port nobody listens on. */
async function refusedConnection(): Promise<NodeJS.ErrnoException> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return new Promise((resolve) => createConnection({ host: '127.0.0.1', port }).on('error', resolve));
}

const s3Error = (code: string) =>
  Object.assign(new S3Error(`S3 says ${code}`), { code, amzRequestid: '18C0FFEE', resource: '/raw-videos/t1/a.mp4' });

const pgError = (code: string, message: string) =>
  Object.assign(new DatabaseError(message, 100, 'error'), { severity: 'FATAL', code });

const LEAKS = /https?:|\/tmp|127\.0\.0\.1|:\d{2,5}\b|0x[0-9a-f]{4}|E[A-Z]{4,}/;

describe('toJobError', () => {
  it('maps a real ECONNREFUSED: storage when the S3 client failed, a generic outage otherwise; never the errno', async () => {
    const refused = await refusedConnection();
    expect(refused.code).toBe('ECONNREFUSED');
    expect(refused.message).toMatch(/connect ECONNREFUSED 127\.0\.0\.1:\d+/);

    const unattributed = toJobError(refused, 'transcode');
    expect(unattributed).toEqual({
      code: 'DEPENDENCY_UNAVAILABLE',
      message: JOB_ERROR_CODES.DEPENDENCY_UNAVAILABLE.message,
      transient: true,
      retryable: true,
    });

    const storage = toJobError(attributeTo(await refusedConnection(), 'storage'), 'transcode');
    expect(storage.code).toBe('STORAGE_UNAVAILABLE');
    expect(storage.transient).toBe(true);
    expect(storage.message).not.toMatch(LEAKS);
  });

  it('attributes the failures of a wrapped client to its dependency (thrown and rejected)', async () => {
    const refused = await refusedConnection();
    const client = attributeFailures(
      {
        name: 'sdk',
        get: async () => Promise.reject(refused),
        put: () => {
          throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
        },
        ok: async () => 42,
      },
      'storage',
    );
    await expect(client.get().catch((e: unknown) => toJobError(e).code)).resolves.toBe('STORAGE_UNAVAILABLE');
    expect(() => client.put()).toThrow('ECONNRESET');
    try {
      client.put();
    } catch (e) {
      expect(toJobError(e).code).toBe('STORAGE_UNAVAILABLE');
    }
    await expect(client.ok()).resolves.toBe(42);
    expect(client.name).toBe('sdk');
  });

  it('finds the errno in a cause chain (fetch failed → ECONNREFUSED) and the dependency on any level', async () => {
    const fetchFailed = new TypeError('fetch failed', { cause: await refusedConnection() });
    expect(toJobError(fetchFailed).code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(
      toJobError(attributeTo(new Error('upload failed', { cause: await refusedConnection() }), 'storage')).code,
    ).toBe('STORAGE_UNAVAILABLE');
  });

  it('maps S3 answers: missing object, refused access, server trouble, others internal', () => {
    expect(toJobError(s3Error('NoSuchKey'))).toMatchObject({
      code: 'SOURCE_MISSING',
      transient: false,
      retryable: false,
    });
    expect(toJobError(s3Error('NotFound')).code).toBe('SOURCE_MISSING');
    expect(toJobError(s3Error('AccessDenied'))).toMatchObject({ code: 'SOURCE_UNREADABLE', transient: false });
    expect(toJobError(s3Error('SlowDown'))).toMatchObject({ code: 'STORAGE_UNAVAILABLE', transient: true });
    expect(toJobError(s3Error('InternalError')).code).toBe('STORAGE_UNAVAILABLE');
    expect(toJobError(s3Error('NoSuchUpload'))).toMatchObject({ code: 'INTERNAL_ERROR', transient: false });
  });

  it('maps kafkajs errors to BROKER_UNAVAILABLE', () => {
    expect(
      toJobError(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092')),
    ).toMatchObject({ code: 'BROKER_UNAVAILABLE', transient: true });
    expect(
      toJobError(new KafkaJSNumberOfRetriesExceeded(new Error('x'), { retryCount: 5, retryTime: 3000 })).code,
    ).toBe('BROKER_UNAVAILABLE');
  });

  it('maps PostgreSQL unavailability (SQLSTATE 08/53/57P, dropped connections, wrapped by TypeORM), not other SQL errors', () => {
    expect(toJobError(pgError('57P01', 'terminating connection due to administrator command'))).toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      transient: true,
    });
    expect(toJobError(pgError('08006', 'connection failure')).code).toBe('DATABASE_UNAVAILABLE');
    expect(toJobError(new Error('Connection terminated unexpectedly')).code).toBe('DATABASE_UNAVAILABLE');
    expect(
      toJobError(new QueryFailedError('SELECT 1', [], pgError('57P03', 'the database system is starting up'))).code,
    ).toBe('DATABASE_UNAVAILABLE');
    expect(
      toJobError(new QueryFailedError('INSERT', [], pgError('23505', 'duplicate key value violates unique constraint')))
        .code,
    ).toBe('INTERNAL_ERROR');
  });

  it('keeps a listed code and its own message, redacted', () => {
    const rejection = {
      code: 'CORRUPT_MEDIA',
      message:
        "The file looks like media but cannot be read: [mov @ 0x55d1c2a0] moov atom not found in '/tmp/tf-x/source.mp4'",
    };
    expect(toJobError(rejection, 'validate')).toEqual({
      code: 'CORRUPT_MEDIA',
      message: "The file looks like media but cannot be read: [mov @ <addr>] moov atom not found in '<path>'",
      transient: false,
      retryable: false,
    });
  });

  it('never passes on an unlisted code (errnos, S3 codes, made-up ones)', async () => {
    for (const e of [
      await refusedConnection(),
      Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }),
      { code: 'PROCESSING_FAILED', message: 'x' },
      { code: 'NoSuchKey' },
      'a string',
      null,
      undefined,
      42,
    ]) {
      const result = toJobError(e, 'transcode');
      expect(isJobErrorCode(result.code)).toBe(true);
      expect(result.message).not.toMatch(LEAKS);
    }
    expect(
      toJobError(Object.assign(new Error("ENOENT: no such file or directory, open '/tmp/x'"), { code: 'ENOENT' })).code,
    ).toBe('INTERNAL_ERROR');
  });

  it('reads what ffmpeg said about the presigned source URL; other ffmpeg failures get the stage code', () => {
    const url = 'http://127.0.0.1:9000/raw-videos/a.mp4?X-Amz-Signature=abc';
    const ffprobe = (stderr: string) => new Error(`ffprobe exited with code 1: ${url}: ${stderr}`);
    expect(toJobError(ffprobe('Server returned 404 Not Found'), 'validate')).toMatchObject({
      code: 'SOURCE_MISSING',
      message: JOB_ERROR_CODES.SOURCE_MISSING.message,
    });
    expect(toJobError(ffprobe('Server returned 403 Forbidden (access denied)'), 'validate').code).toBe(
      'SOURCE_UNREADABLE',
    );
    expect(toJobError(ffprobe('Connection refused'), 'transcribe')).toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      transient: true,
    });
    const exit = Object.assign(new Error('ffmpeg exited with code 1: [libx264 @ 0x55d1c2a0] broken'), {
      name: 'FfmpegExitError',
    });
    expect(toJobError(exit, 'transcode')).toMatchObject({
      code: 'TRANSCODE_FAILED',
      message: JOB_ERROR_CODES.TRANSCODE_FAILED.message,
    });
    expect(toJobError(exit, 'package').code).toBe('PACKAGING_FAILED');
    expect(toJobError(exit, 'notify').code).toBe('INTERNAL_ERROR');
  });

  it('isTransientError tells outages apart from permanent failures', async () => {
    expect(isTransientError(await refusedConnection())).toBe(true);
    expect(isTransientError(s3Error('NoSuchKey'))).toBe(false);
    expect(isTransientError({ code: 'NOT_MEDIA', message: 'x' })).toBe(false);
    expect(isTransientError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
  });

  it('productError uses the public message when none is given and caps long ones', () => {
    expect(productError('SOURCE_MISSING')).toEqual({
      code: 'SOURCE_MISSING',
      message: JOB_ERROR_CODES.SOURCE_MISSING.message,
      transient: false,
      retryable: false,
    });
    expect(productError('TRANSCODE_FAILED', 'x'.repeat(2000)).message).toHaveLength(500);
  });
});
