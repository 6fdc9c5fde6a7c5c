import { ClientRequest, IncomingMessage, request } from 'node:http';
import { waitFor } from '../support/wait';

export interface SseEvent {
  event: string;
  id: string | null;
  data: Record<string, unknown>;
}

/** A minimal EventSource for tests: records every event and comment, and when the server ended the stream. */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  ended = false;
  private buffer = '';

  private constructor(
    private readonly req: ClientRequest,
    readonly response: IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.feed(chunk));
    response.on('end', () => (this.ended = true));
    response.on('close', () => (this.ended = true));
  }

  static open(url: string, apiKey: string | null): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        { headers: { Accept: 'text/event-stream', ...(apiKey ? { 'X-API-Key': apiKey } : {}) } },
        (res) => resolve(new SseClient(req, res)),
      );
      req.on('error', reject);
      req.end();
    });
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  named(event: string): SseEvent[] {
    return this.events.filter((e) => e.event === event);
  }

  waitForEvent(what: string, match: (e: SseEvent) => boolean, timeoutMs = 120_000): Promise<SseEvent> {
    return waitFor(what, async () => this.events.find(match), timeoutMs, 50);
  }

  waitForEnd(timeoutMs = 120_000): Promise<true> {
    return waitFor('stream end', async () => this.ended, timeoutMs, 50);
  }

  close(): void {
    this.req.destroy();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let cut: number;
    while ((cut = this.buffer.indexOf('\n\n')) >= 0) {
      const frame = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut + 2);
      const fields: Record<string, string> = {};
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else {
          const i = line.indexOf(':');
          if (i > 0) fields[line.slice(0, i)] = line.slice(i + 1).trimStart();
        }
      }
      if (fields.data !== undefined)
        this.events.push({ event: fields.event ?? 'message', id: fields.id ?? null, data: JSON.parse(fields.data) });
    }
  }
}
