import { ApiError } from '../../http/api-error';
import { apiValidationPipe } from '../../http/api-validation.pipe';
import { backfillRequestOf } from '../backfill-request';
import { BackfillRequestDto, CancelRequestDto } from './job-control.dto';

/** The body as the API validation pipe hands it to the controller, or the code it answers. */
async function through<T>(metatype: new () => T, value: unknown): Promise<T | { code: string }> {
  try {
    return (await apiValidationPipe().transform(value, { type: 'body', metatype })) as T;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return { code: (e as ApiError).code };
  }
}

describe('CancelRequestDto', () => {
  it('takes an optional reason and ignores other properties', async () => {
    expect(await through(CancelRequestDto, undefined)).toEqual({});
    expect(await through(CancelRequestDto, {})).toEqual({});
    expect(await through(CancelRequestDto, { reason: ' uploaded the wrong file ', note: 1 })).toEqual({
      reason: ' uploaded the wrong file ',
    });
  });

  it('answers INVALID_REASON for a reason that is not a string of at most 500 characters', async () => {
    expect(await through(CancelRequestDto, { reason: 42 })).toEqual({ code: 'INVALID_REASON' });
    expect(await through(CancelRequestDto, { reason: 'x'.repeat(501) })).toEqual({ code: 'INVALID_REASON' });
    expect(await through(CancelRequestDto, { reason: 'x'.repeat(500) })).toEqual({ reason: 'x'.repeat(500) });
  });
});

describe('BackfillRequestDto', () => {
  const backfill = async (value: unknown) => {
    const dto = await through(BackfillRequestDto, value);
    return 'code' in dto ? dto : backfillRequestOf(dto);
  };

  it('reads a range, an optional tenant and dry_run', async () => {
    expect(await backfill({ from: '2025-01-01', to: '2025-01-02T00:00:00Z', tenant: ' acme ', dry_run: true })).toEqual(
      {
        from: new Date('2025-01-01T00:00:00Z'),
        to: new Date('2025-01-02T00:00:00Z'),
        tenantId: 'acme',
        dryRun: true,
      },
    );
    expect(await backfill({ from: '2025-01-01', to: '2025-01-02' })).toMatchObject({ tenantId: null, dryRun: false });
    expect(await backfill({ from: '2025-01-01T12:30', to: '2025-01-02', other: 1 })).toMatchObject({
      from: new Date('2025-01-01T12:30:00Z'),
    });
  });

  it('answers the documented codes', async () => {
    expect(await backfill({ from: '2025-01-01' })).toEqual({ code: 'INVALID_RANGE' });
    expect(await backfill({})).toEqual({ code: 'INVALID_RANGE' });
    expect(await backfill({ from: '2025-01-02', to: '2025-01-01' })).toEqual({ code: 'INVALID_RANGE' });
    expect(await backfill({ from: '2025-01-01', to: '2025-01-01' })).toEqual({ code: 'INVALID_RANGE' });
    expect(await backfill({ from: 'x', to: '2025-01-01' })).toEqual({ code: 'INVALID_TIMESTAMP' });
    expect(await backfill({ from: '2025-01-01', to: '2025-02-30' })).toEqual({ code: 'INVALID_TIMESTAMP' });
    expect(await backfill({ from: '2025-01-01', to: '2025-01-02', dry_run: 'yes' })).toEqual({
      code: 'INVALID_BOOLEAN',
    });
    expect(await backfill({ from: '2025-01-01', to: '2025-01-02', tenant: '' })).toEqual({ code: 'INVALID_TENANT' });
    expect(await backfill({ from: '2025-01-01', to: '2025-01-02', tenant: 7 })).toEqual({ code: 'INVALID_TENANT' });
  });
});
