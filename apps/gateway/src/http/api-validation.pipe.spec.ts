import { ArgumentMetadata, Type as ClassType } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Min, ValidateNested } from 'class-validator';
import { ApiError } from './api-error';
import { ApiShape } from './api-shape';
import { apiCode, apiValidationPipe } from './api-validation.pipe';
import { toApiError } from './api-exception.filter';

class LimitsProbe {
  @IsOptional() @IsInt() @Min(1) capacity?: number;
}

class BodyProbe {
  @IsIn(['high', 'low'], { ...apiCode('INVALID_PRIORITY'), message: 'priority must be high or low' }) priority!: string;
  @IsOptional() @IsInt() count?: number;
  @IsOptional() @ValidateNested() @Type(() => LimitsProbe) limits?: LimitsProbe;
}

const body: ArgumentMetadata = { type: 'body', metatype: BodyProbe };
const answer = async (value: unknown) => {
  try {
    return { ok: await apiValidationPipe().transform(value, body) };
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return toApiError(e);
  }
};

describe('the API validation pipe', () => {
  it('answers the code a constraint carries', async () => {
    expect(await answer({ priority: 'urgent' })).toEqual({
      status: 400,
      body: { code: 'INVALID_PRIORITY', message: 'priority must be high or low' },
    });
  });

  it('answers VALIDATION_FAILED with every message otherwise, nested ones by their path', async () => {
    expect(await answer({ priority: 'high', count: 'x', limits: { capacity: 0 } })).toEqual({
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        message: 'count must be an integer number; limits.capacity must not be less than 1',
      },
    });
  });

  it('refuses unknown properties and passes a valid body through as the DTO class', async () => {
    expect(await answer({ priority: 'high', extra: 1 })).toEqual({
      status: 400,
      body: { code: 'VALIDATION_FAILED', message: 'property extra should not exist' },
    });
    const ok = (await answer({ priority: 'low', limits: { capacity: 2 } })) as { ok: BodyProbe };
    expect(ok.ok).toBeInstanceOf(BodyProbe);
    expect(ok.ok.limits).toBeInstanceOf(LimitsProbe);
  });

  it('leaves parameters typed by an interface or unknown to their handler', async () => {
    const raw = { anything: true };
    expect(await apiValidationPipe().transform(raw, { type: 'body', metatype: Object })).toBe(raw);
  });

  it("answers a class's own codes for unknown properties and for a body that is not an object (@ApiShape)", async () => {
    @ApiShape({ unknownFields: 'UNKNOWN_FIELD', notAnObject: { code: 'INVALID_BODY', message: 'Send a JSON object' } })
    class StrictProbe {
      @IsOptional() @IsIn(['high', 'low']) priority?: string;
      @IsOptional() @IsInt() count?: number;
    }
    @ApiShape({ unknownFields: 'ignore' })
    class LenientProbe {
      @IsOptional() @IsInt() count?: number;
    }
    const through = async (metatype: ClassType<unknown>, value: unknown) => {
      try {
        return { ok: await apiValidationPipe().transform(value, { type: 'body', metatype }) };
      } catch (e) {
        return toApiError(e);
      }
    };
    expect(await through(StrictProbe, { priorty: 'high' })).toEqual({
      status: 400,
      body: {
        code: 'UNKNOWN_FIELD',
        message: 'Unknown field "priorty" (did you mean "priority"?); the fields are priority, count',
      },
    });
    expect(await through(StrictProbe, ['high'])).toEqual({
      status: 400,
      body: { code: 'INVALID_BODY', message: 'Send a JSON object' },
    });
    expect(await through(StrictProbe, { count: 'x' })).toMatchObject({ body: { code: 'VALIDATION_FAILED' } });
    expect(await through(LenientProbe, { count: 2, extra: 1 })).toEqual({
      ok: Object.assign(new LenientProbe(), { count: 2 }),
    });
    expect(await through(LenientProbe, { count: 'x', extra: 1 })).toMatchObject({
      body: { code: 'VALIDATION_FAILED', message: 'count must be an integer number' },
    });
  });
});
