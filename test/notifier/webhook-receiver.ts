import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** Raw body, exactly as signed. */
  body: string;
  /** What the receiver answered; null when it never answered. */
  status: number | null;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  close: () => Promise<void>;
}

/**
 * A client's webhook endpoint on 127.0.0.1 (random port). `respond` picks the status of the n-th request
 * (1-based); null leaves that request hanging, like an endpoint that accepted the connection and stalled.
 */
export async function startWebhookReceiver(respond: (n: number) => number | null): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = respond(requests.length + 1);
      requests.push({
        method: req.method ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status,
      });
      if (status !== null)
        res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver says no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/transcodeflow`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
