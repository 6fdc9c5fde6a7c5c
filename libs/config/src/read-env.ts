// class-transformer's @Type records design types through reflect-metadata, which a plain script (no Nest) has not loaded.
import 'reflect-metadata';
import { Transform, Type, plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  Max,
  Min,
  ValidationError,
  getMetadataStorage,
  validateSync,
} from 'class-validator';

/** A setting that is missing or has a value the app cannot use; the message names every such variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The one way the apps and libs read their environment (like Immich's EnvDto): a class whose
 * properties are the variables, typed and checked with class-validator / class-transformer decorators
 * (the Env* ones below), with their defaults as initial values. Unset or blank variables keep the
 * default; a value that does not fit (TF_RETRY_MAX_ATTEMPTS=abc) throws a ConfigError naming the
 * variable and what it got, so a service stops at start-up instead of running on NaN.
 */
export function readEnv<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const names = declaredVariables(schema);
  const given = Object.fromEntries(
    names.flatMap((name) => (env[name] === undefined || env[name]!.trim() === '' ? [] : [[name, env[name]]])),
  );
  const values = plainToInstance(schema, given, { exposeDefaultValues: true });
  const errors = validateSync(values, { forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigError(errors.map((e) => describe(e, env)));
  return values;
}

const declaredVariables = (schema: new () => object): string[] => [
  ...new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(schema, '', true, false)
      .map((m) => m.propertyName),
  ),
];

/** `<NAME> must be an integer number, must not be less than 1 (got "abc")`: the variable named once, then its value. */
const describe = (error: ValidationError, env: NodeJS.ProcessEnv): string =>
  `${Object.values(error.constraints ?? {})
    .map((text, i) => (i === 0 ? text : text.replace(`${error.property} `, '')))
    .join(', ')} (got ${JSON.stringify(env[error.property] ?? null)})`;

type Bounds = { min?: number; max?: number; positive?: boolean };

const all =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const decorate of decorators) decorate(target, key);
  };

const bounded = ({ min, max, positive }: Bounds): PropertyDecorator[] => [
  ...(positive ? [IsPositive()] : []),
  ...(min === undefined ? [] : [Min(min)]),
  ...(max === undefined ? [] : [Max(max)]),
];

/** A whole number, e.g. a count or milliseconds. */
export const EnvInt = (bounds: Bounds = {}): PropertyDecorator =>
  all(
    IsOptional(),
    Type(() => Number),
    IsInt(),
    ...bounded(bounds),
  );

/** Any finite number, e.g. a scale factor or seconds with a fraction. */
export const EnvNumber = (bounds: Bounds = {}): PropertyDecorator =>
  all(
    IsOptional(),
    Type(() => Number),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    ...bounded(bounds),
  );

/** `true` or `false` (any case); anything else is refused rather than read as false. */
export const EnvBool = (): PropertyDecorator =>
  all(
    IsOptional(),
    Transform(({ value }) =>
      typeof value === 'string' && /^(true|false)$/i.test(value.trim()) ? value.trim().toLowerCase() === 'true' : value,
    ),
    IsBoolean({ message: ({ property }) => `${property} must be true or false` }),
  );

/** Free text (a path, an address). */
export const EnvString = (): PropertyDecorator => all(IsOptional(), IsString());

/** An absolute http(s) URL, e.g. an endpoint (a host without a top-level domain, like `s3` or `127.0.0.1`, is fine). */
export const EnvUrl = (): PropertyDecorator =>
  all(
    IsOptional(),
    IsUrl(
      { protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true },
      { message: ({ property }) => `${property} must be an absolute http(s) URL` },
    ),
  );

/** One of a few words. */
export const EnvOneOf = (values: readonly string[]): PropertyDecorator => all(IsOptional(), IsIn(values));
