import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';

const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * Whether these calendar and clock fields name a real instant: month 1-12, a day the month has
 * (no 30 February, which Date would roll over to March), 00:00-23:59:59, year 0001-9999 (all of
 * them in Postgres' range).
 */
export function isRealDateTime(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeapYear(year) ? 1 : 0);
  return day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
}

/** The instant an ISO 8601 date or date-time names (one without an offset is UTC); `'shape'` / `'unreal'` when it names none. */
function readIsoTimestamp(raw: string): Date | 'shape' | 'unreal' {
  const value = raw.trim();
  const m = ISO_TIMESTAMP.exec(value);
  if (!m) return 'shape';
  const [year, month, day, hour, minute, second, , offsetHours, offsetMinutes] = [
    m[1],
    m[2],
    m[3],
    m[4],
    m[5],
    m[6],
    m[7],
    m[8],
    m[9],
  ].map((v) => Number(v ?? 0));
  if (!isRealDateTime(year, month, day, hour, minute, second) || offsetHours > 23 || offsetMinutes > 59)
    return 'unreal';
  const date = new Date(/T/.test(value) && !m[7] ? `${value}Z` : value);
  return Number.isNaN(date.getTime()) ? 'unreal' : date;
}

/** The instant of a timestamp IsIsoTimestamp accepted. */
export function isoTimestamp(raw: string): Date {
  const date = readIsoTimestamp(raw);
  if (!(date instanceof Date)) throw new Error(`not an ISO 8601 timestamp: ${JSON.stringify(raw)}`);
  return date;
}

/** A string that is an ISO 8601 date or date-time naming a real instant (other types are left to @IsString). */
export const IsIsoTimestamp = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isIsoTimestamp',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || readIsoTimestamp(value) instanceof Date,
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an ISO 8601 timestamp such as 2025-01-31T12:00:00Z, got $value`,
          options,
        ),
      },
    },
    options,
  );

/** A timestamp later than the one in `property` (judged only when both are ISO 8601 timestamps). */
export const IsLaterThan = (property: string, options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isLaterThan',
      constraints: [property],
      validator: {
        validate: (value: unknown, args) => {
          const earlier = (args?.object as Record<string, unknown>)[property];
          if (typeof value !== 'string' || typeof earlier !== 'string') return true;
          const [a, b] = [readIsoTimestamp(earlier), readIsoTimestamp(value)];
          return !(a instanceof Date && b instanceof Date) || a < b;
        },
        defaultMessage: buildMessage(() => `${property} must be before $property`, options),
      },
    },
    options,
  );
