import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import serveStatic from 'serve-static';

/** Paths the API owns: never answered with the console's files, whatever listener they arrive on. */
const API_PREFIXES = ['/api', '/graphql', '/playback', '/docs', '/health', '/metrics'];

const isApiPath = (path: string): boolean =>
  API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}-`));

/** A client route of the SPA (/jobs/…, /sign-in): no file extension in its last segment. */
const isClientRoute = (path: string): boolean => !/\.[^/]*$/.test(path);

type Next = (error?: unknown) => void;
type Handler = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

/**
 * The console's files for requests that no API route answered: the hashed assets (cached for good),
 * then index.html for any client route (the SPA fallback, never cached: it names the current assets).
 * Requests of other listeners, unknown API paths and missing assets go on to the API's 404.
 */
export function consoleFiles(dir: string, isConsoleRequest: (req: IncomingMessage) => boolean): Handler {
  const assets = serveStatic(dir, {
    index: false,
    fallthrough: true,
    setHeaders: (res, path) =>
      res.setHeader(
        'Cache-Control',
        path.includes(`${join(dir, 'assets')}/`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      ),
  });
  const indexHtml = join(dir, 'index.html');
  return (req, res, next) => {
    const path = new URL(req.url ?? '/', 'http://console').pathname;
    if (!isConsoleRequest(req) || (req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(path)) return next();
    assets(req, res, () => {
      if (!isClientRoute(path)) return next();
      void sendIndex(indexHtml, req, res);
    });
  };
}

async function sendIndex(indexHtml: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let html: Buffer;
  try {
    html = await readFile(indexHtml);
  } catch {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('The console is not built: run `npm run build:console` (npm run up builds it).\n');
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': html.length,
    'Cache-Control': 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : html);
}
