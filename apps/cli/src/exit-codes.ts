import { ApiError } from '@tf/client';
import { CommanderError } from 'commander';

/**
 * tflow's exit codes (README "CLI"):
 *   0 ok; 1 the job failed or was cancelled (submit, watch), or another failure; 2 usage (bad
 *   arguments or options, a file that is not there, a request the API refused as invalid: 400, 409,
 *   413, 415, 422); 3 auth (no key, 401, 403); 4 not found (404); 5 server or network (5xx, 429,
 *   connection refused or broken).
 */
export const ExitCode = {
  OK: 0,
  JOB_FAILED: 1,
  USAGE: 2,
  AUTH: 3,
  NOT_FOUND: 4,
  SERVER: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI itself raises, with its exit code and an UPPER_SNAKE code. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string): CliError => new CliError(ExitCode.USAGE, 'USAGE', message);

/** The exit code of an HTTP answer's status. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return ExitCode.AUTH;
  if (status === 404) return ExitCode.NOT_FOUND;
  if (status === 429 || status >= 500) return ExitCode.SERVER;
  if (status >= 400) return ExitCode.USAGE;
  return ExitCode.JOB_FAILED;
}

/** Connection refused, reset, DNS, timeouts: undici and Node name them E* or UND_ERR_*. */
export function networkErrorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let e: unknown = error;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
    const inner = (e as { errors?: unknown[] }).errors;
    e = (e as { cause?: unknown }).cause ?? (Array.isArray(inner) ? inner[0] : undefined);
  }
  return undefined;
}

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof ApiError) return exitCodeForStatus(error.status);
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
  if (networkErrorCode(error)) return ExitCode.SERVER;
  return ExitCode.JOB_FAILED;
}

/** One line for stderr. */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return `${error.code}: ${error.message}`;
  if (error instanceof ApiError) return error.message; // "404 JOB_NOT_FOUND: No job …"
  const network = networkErrorCode(error);
  const message = error instanceof Error ? error.message || error.name : String(error);
  const line = network && !message.includes(network) ? `${network}: ${message}` : message;
  return line.replace(/\s*\n\s*/g, ' ');
}
