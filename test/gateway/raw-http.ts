import { connect } from 'node:net';

/** One HTTP/1.1 request written byte for byte: lying lengths, odd headers and broken framing included. */
export interface RawRequest {
  method: string;
  /** Request target as sent (no CR/LF: those would only break this test's own framing). */
  target: string;
  /** Header lines as sent (latin1), in order; Host and Connection: close are added unless present. */
  headers: [string, string][];
  body?: Buffer;
  /** Close our side after writing: with a declared length longer than the body, the server sees it end early. */
  endAfterWrite?: boolean;
}

export interface RawAnswer {
  /** null: the connection ended (or the time ran out) without a status line. */
  status: number | null;
  /** The connection failed while we wrote (the server answered early and reset it: the answer may be lost). */
  writeFailed?: boolean;
  headers: Record<string, string>;
  body: string;
}

/** The request's bytes, for a failure report that reproduces it (`printf ... | nc`). */
export function describeRaw(req: RawRequest, maxBody = 300): string {
  const head = [
    `${req.method} ${req.target} HTTP/1.1`,
    ...req.headers.map(([n, v]) => `${n}: ${v.length > 200 ? `${v.slice(0, 200)}…(${v.length} chars)` : v}`),
  ].join('\n');
  const body = req.body
    ? `\n\n${JSON.stringify(req.body.subarray(0, maxBody).toString('latin1'))}${req.body.length > maxBody ? `…(${req.body.length} bytes)` : ''}`
    : '';
  return `${head}${body}${req.endAfterWrite ? '\n(connection half-closed after the body)' : ''}`;
}

/**
 * Sends one request on its own connection and reads the status and headers; the body only of an
 * error answer (to check its {code, message}). Success bodies are not read: an SSE stream would
 * never end. Resolves with status null when no answer came within `timeoutMs`.
 */
export function rawRequest(port: number, req: RawRequest, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const has = (name: string) => req.headers.some(([n]) => n.toLowerCase() === name);
    const headers: [string, string][] = [
      ...(has('host') ? [] : [['Host', `127.0.0.1:${port}`] as [string, string]]),
      ...req.headers,
    ];
    if (!has('connection')) headers.push(['Connection', 'close']);
    let received = Buffer.alloc(0);
    let answer: RawAnswer | null = null;
    let bodyStart = 0;
    let writeFailed = false;
    const finish = (result: RawAnswer) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(answer ?? { status: null, headers: {}, body: '' }), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      // An interim answer (100 Continue) may come in the same chunk as the final one: read header blocks until a final status.
      while (!answer) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [statusLine, ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
        const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN) || null;
        if (status !== null && status < 200) {
          received = received.subarray(end + 4);
          continue;
        }
        const fields: Record<string, string> = {};
        for (const line of lines) {
          const colon = line.indexOf(':');
          if (colon > 0) fields[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        answer = { status, headers: fields, body: '' };
        bodyStart = end + 4;
        if ((status ?? 0) < 400) return finish(answer);
      }
      const length = Number(answer.headers['content-length']);
      answer.body = received.subarray(bodyStart).toString('utf8');
      if (Number.isFinite(length) && received.length - bodyStart >= length) finish(answer);
    });
    const ended = () => finish(answer ?? { status: null, headers: {}, body: '', writeFailed });
    socket.on('end', ended);
    socket.on('close', ended);
    // A server that answered early and reset the connection while we still wrote: the answer (if any) counts.
    socket.on('error', ended);
    socket.on('connect', () => {
      const head = `${req.method} ${req.target} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
      const onWritten = (e?: Error | null) => void (e && (writeFailed = true));
      socket.write(Buffer.from(head, 'latin1'), onWritten);
      if (req.body?.length) socket.write(req.body, onWritten);
      if (req.endAfterWrite) socket.end();
    });
  });
}
