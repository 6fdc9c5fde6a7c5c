import { redact } from '@tf/errors';

const MAX_DEPTH = 5;

/** An Error as pino's serializer would write it, with message and stack redacted. */
function redactedError(e: Error): Record<string, unknown> {
  const code: unknown = (e as Error & { code?: unknown }).code;
  return {
    type: e.name,
    message: redact(e.message),
    ...(e.stack ? { stack: redact(e.stack) } : {}),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

/** Redacts every string in a log field (nested objects and arrays too, to a bounded depth). */
function redactLogValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (value instanceof Error) return redactedError(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => redactLogValue(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactLogValue(v, depth + 1)]));
}

/**
 * The arguments of a pino call (`(obj?, msg?, ...interpolation)`), redacted: no presigned URL, path,
 * host:port or memory address reaches a log line, whoever wrote the call. An Error first argument keeps
 * pino's shape (`err` field, its message as the line's msg).
 */
export function redactLogArguments(args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (first instanceof Error) {
    const msg = rest.length ? rest : [redact(first.message)];
    return [{ err: redactedError(first) }, ...msg.map((a) => redactLogValue(a))];
  }
  return args.map((a) => redactLogValue(a));
}
