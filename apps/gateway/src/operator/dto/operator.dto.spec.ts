import { ApiError } from '../../http/api-error';
import { apiValidationPipe } from '../../http/api-validation.pipe';
import { DeadLetterListQueryDto, ReplayRequestDto } from './dead-letters.dto';
import { PipelineStatusQueryDto } from './pipeline-status.dto';

const JOB = '3f2a9c01-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

/** What the API validation pipe hands the controller, or the code it answers. */
async function through<T>(
  metatype: new () => T,
  value: unknown,
  type: 'body' | 'query',
): Promise<T | { code: string }> {
  try {
    return (await apiValidationPipe().transform(value, { type, metatype })) as T;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return { code: (e as ApiError).code };
  }
}

describe('the operator routes refuse a malformed query or body with their codes', () => {
  it('GET /api/v1/admin/dead-letters: group, job_id, limit', async () => {
    const query = (q: Record<string, string>) => through(DeadLetterListQueryDto, q, 'query');
    expect(await query({ group: 'tf-transcoder', job_id: JOB, limit: '20', other: 'x' })).toEqual({
      group: 'tf-transcoder',
      job_id: JOB,
      limit: 20,
    });
    expect(await query({ group: 'TF Transcoder' })).toEqual({ code: 'INVALID_GROUP' });
    expect(await query({ group: 'g'.repeat(101) })).toEqual({ code: 'INVALID_GROUP' });
    expect(await query({ job_id: 'not-a-job' })).toEqual({ code: 'INVALID_JOB_ID' });
    // The Kafka key is the lower-case id: an upper-case one would silently match no dead letter.
    expect(await query({ job_id: JOB.toUpperCase() })).toEqual({ job_id: JOB });
    for (const limit of ['0', '501', '1.5', 'ten']) expect(await query({ limit })).toEqual({ code: 'INVALID_LIMIT' });
  });

  it('POST /api/v1/admin/dead-letters/:group/replay: an optional job_id', async () => {
    expect(await through(ReplayRequestDto, {}, 'body')).toEqual({});
    expect(await through(ReplayRequestDto, { job_id: JOB }, 'body')).toEqual({ job_id: JOB });
    expect(await through(ReplayRequestDto, { job_id: 7 }, 'body')).toEqual({ code: 'INVALID_JOB_ID' });
    expect(await through(ReplayRequestDto, { job_id: JOB.toUpperCase() }, 'body')).toEqual({ job_id: JOB });
  });

  it('GET /api/v1/admin/pipeline/status: window_s from 0 to 60', async () => {
    const query = (q: Record<string, string>) => through(PipelineStatusQueryDto, q, 'query');
    expect(await query({})).toEqual({});
    expect(await query({ window_s: '0' })).toEqual({ window_s: 0 });
    expect(await query({ window_s: '60' })).toEqual({ window_s: 60 });
    for (const window_s of ['61', '-1', '2.5', 'x'])
      expect(await query({ window_s })).toEqual({ code: 'INVALID_WINDOW' });
  });
});
