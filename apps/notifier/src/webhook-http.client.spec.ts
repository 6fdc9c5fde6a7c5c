import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { WebhookHttpClient } from './webhook-http.client';

// Against a real local server: the outcomes the client must turn into attempt results, never throws.
describe('WebhookHttpClient', () => {
  let server: Server;
  let base: string;
  let redirectedTo = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      if (req.url === '/ok') return void res.writeHead(204).end();
      if (req.url === '/redirect') return void res.writeHead(302, { Location: '/target' }).end();
      if (req.url === '/target') redirectedTo++;
      if (req.url === '/error') return void res.writeHead(500).end('x'.repeat(1000));
      // '/hang': never answers
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const client = new WebhookHttpClient({ egress: { allowPrivateNetworks: true } });
  afterAll(() => client.onModuleDestroy());
  const post = (path: string, timeoutMs = 5_000) =>
    client.post(`${base}${path}`, '{}', { 'Content-Type': 'application/json' }, timeoutMs);

  it('reports a 2xx without error', async () => {
    expect(await post('/ok')).toMatchObject({ statusCode: 204, error: null, durationMs: expect.any(Number) });
  });

  it('reports other statuses with a truncated body snippet', async () => {
    const r = await post('/error');
    expect(r.statusCode).toBe(500);
    expect(r.error).toMatch(/^HTTP 500: x+$/);
    expect(r.error!.length).toBeLessThan(350);
  });

  it('does not follow redirects', async () => {
    expect(await post('/redirect')).toMatchObject({ statusCode: 302, error: 'HTTP 302' });
    expect(redirectedTo).toBe(0);
  });

  it('turns a stalled endpoint into a timeout and a closed port into a connection error', async () => {
    expect(await post('/hang', 200)).toMatchObject({ statusCode: null, error: 'timed out after 200 ms' });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const r = await client.post(`http://127.0.0.1:${port}/`, '{}', {}, 5_000);
    expect(r).toMatchObject({ statusCode: null, error: expect.stringContaining('ECONNREFUSED') });
  });

  it('never opens a connection to a name that resolves to a private address when the policy forbids it', async () => {
    const strict = new WebhookHttpClient({ egress: { allowPrivateNetworks: false } });
    const reached = { n: 0 };
    server.on('request', () => reached.n++);
    try {
      // localhost resolves to 127.0.0.1 / ::1: the guarded lookup refuses before any socket is opened.
      const r = await strict.post(`${base.replace('127.0.0.1', 'localhost')}/ok`, '{}', {}, 5_000);
      expect(r).toMatchObject({ statusCode: null, error: expect.stringContaining('EDESTINATIONFORBIDDEN') });
      expect(reached.n).toBe(0);
    } finally {
      await strict.onModuleDestroy();
    }
  });
});
