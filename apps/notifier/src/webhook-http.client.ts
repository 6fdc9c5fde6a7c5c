import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { guardedLookup } from '@tf/egress';
import { errorMessage } from '@tf/messaging';
import { Agent, fetch } from 'undici';
import { WEBHOOK_CONFIG, WebhookConfig } from './notifier.config';
import { isSuccessStatus } from './webhook-retry';

export interface WebhookHttpResult {
  startedAt: Date;
  durationMs: number;
  /** Null when no response arrived (timeout, DNS, connection refused/reset). */
  statusCode: number | null;
  /** Why the attempt did not succeed; null on 2xx. */
  error: string | null;
}

const MAX_ERROR_BODY = 300;

/**
 * The one place the notifier talks HTTP. Never throws: every outcome is an attempt result to record.
 * Its connections resolve names through the egress policy's guarded lookup, so a socket is never
 * opened to a private address when the policy forbids them (even if DNS changed after the pre-check).
 */
@Injectable()
export class WebhookHttpClient implements OnModuleDestroy {
  private readonly agent: Agent;

  constructor(@Inject(WEBHOOK_CONFIG) config: Pick<WebhookConfig, 'egress'>) {
    this.agent = new Agent({ connect: { lookup: guardedLookup(config.egress) } });
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }

  async post(
    url: string,
    body: string,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<WebhookHttpResult> {
    const startedAt = new Date();
    const started = performance.now();
    const done = (statusCode: number | null, error: string | null): WebhookHttpResult => ({
      startedAt,
      durationMs: Math.round(performance.now() - started),
      statusCode,
      error,
    });
    let status: number | null = null;
    try {
      // A redirect is the receiver's misconfiguration: following it would re-POST the signed body
      // somewhere the client never registered, so a 3xx counts as a failed attempt instead.
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        dispatcher: this.agent,
      });
      status = res.status;
      // Read the body (within the same timeout) so the connection is released for reuse.
      const text = await res.text();
      if (isSuccessStatus(status)) return done(status, null);
      const snippet = text.trim().slice(0, MAX_ERROR_BODY);
      return done(status, `HTTP ${status}${snippet ? `: ${snippet}` : ''}`);
    } catch (e) {
      // A 2xx whose body could not be read was still accepted by the receiver.
      return done(status, isSuccessStatus(status) ? null : describeFetchError(e, timeoutMs));
    }
  }
}

/** fetch reports "fetch failed" and hides the reason (ECONNREFUSED, ENOTFOUND...) in `cause`. */
function describeFetchError(e: unknown, timeoutMs: number): string {
  // By name: the DOMException fetch rejects with is not always an `instanceof Error` (other realms).
  const name = (e as { name?: unknown })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message;
  return detail ? `${errorMessage(e)}: ${detail}` : errorMessage(e);
}
