import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GRAPHIQL_ASSETS_PATH, graphiqlAssetsDir, graphiqlPage } from './graphiql-page';

/**
 * A browser opening the endpoint itself (HTML wanted, no operation in the query string), not a GraphQL
 * client's GET. `url` is the request's URL below the endpoint (Express strips the mount path).
 */
function wantsGraphiqlPage(method: string | undefined, url: string | undefined, accept: string | undefined): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const { pathname, searchParams } = new URL(url ?? '/', 'http://gateway');
  if (pathname !== '/' || searchParams.has('query') || searchParams.has('extensions')) return false;
  return (accept ?? '').includes('text/html');
}

/**
 * GraphiQL on a browser GET of `endpoint`, its assets under /graphiql/assets, all from this process
 * (Apollo's and Nest's landing pages load theirs from a CDN, so Apollo has none: `graphiql: false`).
 * Registered before Apollo's middleware, which answers everything else on the endpoint.
 */
export function setupGraphiql(app: INestApplication, endpoint: string): void {
  const page = graphiqlPage(endpoint);
  app.use(endpoint, (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (!wantsGraphiqlPage(req.method, req.url, req.headers.accept)) return next();
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.end(req.method === 'HEAD' ? undefined : page);
  });
  (app as NestExpressApplication).useStaticAssets(graphiqlAssetsDir(), {
    prefix: GRAPHIQL_ASSETS_PATH,
    index: false,
    // The files change only with the package's version.
    maxAge: '1d',
  });
}
