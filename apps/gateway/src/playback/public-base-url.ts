import type { IncomingMessage } from 'node:http';

/**
 * Where clients reach this gateway: TF_PUBLIC_URL when set (behind a proxy or CDN), otherwise the
 * scheme and Host of the request that asked (X-Forwarded-* are not trusted: set TF_PUBLIC_URL).
 */
export function publicBaseUrl(req: IncomingMessage, env: NodeJS.ProcessEnv = process.env): string {
  if (env.TF_PUBLIC_URL) return env.TF_PUBLIC_URL.replace(/\/$/, '');
  const proto = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
  return `${proto}://${req.headers.host ?? '127.0.0.1'}`;
}
