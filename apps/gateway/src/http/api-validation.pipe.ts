import { ArgumentMetadata, Type, ValidationPipe } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { ApiError } from './api-error';
import { applyShapeRules, apiShapeRulesOf } from './api-shape';

/** The API code a failed class-validator constraint answers with: `@IsIn(..., apiCode('INVALID_PRIORITY'))`. */
export const apiCode = (code: string) => ({ context: { code } });

interface FailedConstraint {
  message: string;
  code: string | undefined;
}

/** Every failed constraint, nested objects included, in the order class-validator found them. */
function failedConstraints(errors: ValidationError[], parent = ''): FailedConstraint[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([name, message]) => ({
      message: parent ? `${parent}.${message}` : message,
      code: (error.contexts?.[name] as { code?: string } | undefined)?.code,
    }));
    return [...own, ...failedConstraints(error.children ?? [], path)];
  });
}

/**
 * class-validator's findings as the API's `{code, message}`: the code of the first failed constraint
 * that carries one (apiCode), with its message; otherwise 400 VALIDATION_FAILED listing them all.
 */
export function validationFailure(errors: ValidationError[]): ApiError {
  const failed = failedConstraints(errors);
  const coded = failed.find((f) => f.code);
  if (coded) return ApiError.badRequest(coded.code!, coded.message);
  return ApiError.badRequest('VALIDATION_FAILED', failed.map((f) => f.message).join('; ') || 'The request is invalid');
}

/**
 * The one validation of the API's DTO classes (registered globally by HttpModule, and run on
 * GraphQL's input arguments too): unknown properties are refused (or answered as the class's
 * @ApiShape says), values are converted to the DTO's types, failures answer `{code, message}`.
 * Parameters typed by an interface or `unknown` are not validated here.
 */
class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: validationFailure });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const rules = metadata.metatype && metadata.type !== 'custom' ? apiShapeRulesOf(metadata.metatype) : undefined;
    return super.transform(rules ? applyShapeRules(value, metadata.metatype!, rules) : value, metadata);
  }
}

export const apiValidationPipe = (): ValidationPipe => new ApiValidationPipe();

/**
 * The pipe's validation for a value that comes in no single parameter (GraphQL arguments gathered into
 * a REST shape): the same class, the same codes.
 */
export const validateAs = async <T>(metatype: Type<T>, value: unknown): Promise<T> =>
  (await new ApiValidationPipe().transform(value, { type: 'body', metatype })) as T;
