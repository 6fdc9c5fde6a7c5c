import type { ServerResponse } from 'node:http';

/** Writes a text/event-stream response. */
export class SseWriter {
  constructor(private readonly res: ServerResponse) {}

  open(): void {
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // Reverse proxies (nginx) would otherwise buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    this.res.flushHeaders();
  }

  event(name: string, data: unknown, id?: number): void {
    if (this.closed) return;
    const lines = [...(id !== undefined ? [`id: ${id}`] : []), `event: ${name}`, `data: ${JSON.stringify(data)}`];
    this.res.write(`${lines.join('\n')}\n\n`);
  }

  /** A comment line: keeps idle connections open through proxies; clients ignore it. */
  comment(text: string): void {
    if (!this.closed) this.res.write(`: ${text}\n\n`);
  }

  end(): void {
    if (!this.closed) this.res.end();
  }

  get closed(): boolean {
    return this.res.writableEnded || this.res.destroyed;
  }
}
