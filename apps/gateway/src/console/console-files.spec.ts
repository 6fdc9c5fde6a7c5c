import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleFiles } from './console-files';

// The console's files behind the API routes: assets, the SPA fallback for client routes, and
// everything else (API paths, other methods, missing assets, other listeners) left to the API's 404.
describe('consoleFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-console-files-'));
  let server: Server;
  let base: string;
  let fromConsole = true;

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    const files = consoleFiles(dir, () => fromConsole);
    server = createServer((req, res) =>
      files(req, res, () => {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"code":"NOT_FOUND"}');
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => (fromConsole = true));

  it('answers client routes with index.html, never cached', async () => {
    for (const path of [
      '/',
      '/jobs',
      '/jobs/7d0c2b9e-1f7a-4b53-9a43-0d7f6f1c2e11',
      '/embed/x?token=1.abc',
      '/sign-in?next=%2Fjobs',
    ]) {
      const res = await fetch(base + path);
      expect([path, res.status, res.headers.get('cache-control')]).toEqual([path, 200, 'no-cache']);
      expect(await res.text()).toContain('<title>console</title>');
    }
  });

  it('serves hashed assets cached for good', async () => {
    const res = await fetch(`${base}/assets/index-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe('console.log(1)');
  });

  it("leaves API paths, other methods, missing files and other listeners' requests to the API's 404", async () => {
    const apiPaths = [
      '/api/v1/nope',
      '/api',
      '/graphql',
      '/playback/x/y/master.m3u8',
      '/docs',
      '/docs-json',
      '/health',
      '/metrics',
    ];
    for (const path of [...apiPaths, '/assets/missing.js', '/favicon.ico']) {
      const res = await fetch(base + path);
      expect([path, res.status, await res.text()]).toEqual([path, 404, '{"code":"NOT_FOUND"}']);
    }
    expect((await fetch(`${base}/jobs`, { method: 'POST' })).status).toBe(404);
    fromConsole = false;
    expect((await fetch(`${base}/jobs`)).status).toBe(404);
  });

  it('says how to build the console when it is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tf-console-unbuilt-'));
    const files = consoleFiles(empty, () => true);
    const unbuilt = createServer((req, res) => files(req, res, () => res.writeHead(404).end()));
    await new Promise<void>((r) => unbuilt.listen(0, '127.0.0.1', r));
    const res = await fetch(`http://127.0.0.1:${(unbuilt.address() as AddressInfo).port}/jobs`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build:console');
    await new Promise((r) => unbuilt.close(r));
    rmSync(empty, { recursive: true, force: true });
  });
});
