import { execFile, execFileSync } from 'node:child_process';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { TranscodeFlowClient } from '@tf/client';
import { FAST_EVICTION_ENV } from '../support/consumer-env';
import { localStackSecrets } from '../support/local-secrets';
import { repoRoot } from '../support/processes';

const exec = promisify(execFile);

// The key and webhook secret scripts/services.sh gives the services it starts (generated per local stack).
const secrets = localStackSecrets();
export const apiKey = secrets.TF_BOOTSTRAP_API_KEY;
export const webhookSecret = secrets.TF_WEBHOOK_SECRET;
export const client = () => new TranscodeFlowClient({ apiKey });

/** The environment of the six background services the e2e tests start (and chaos restarts). */
export const backgroundServiceEnv = (): NodeJS.ProcessEnv => ({ ...FAST_EVICTION_ENV, ...process.env, ...secrets });

/** Brings up the stack and the six services (idempotent: running ones are reused). */
export function ensureServicesUp(): void {
  execFileSync('bash', ['scripts/services.sh', 'up'], { cwd: repoRoot, stdio: 'pipe', env: backgroundServiceEnv() });
}

export interface ReceivedWebhook {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook endpoint on 127.0.0.1 that records every request and answers 200. */
export async function startWebhookReceiver(): Promise<{
  url: string;
  received: ReceivedWebhook[];
  close: () => Promise<void>;
}> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, received, close: () => new Promise((r) => server.close(() => r())) };
}

export interface StreamFacts {
  codec_name: string;
  codec_type: string;
  profile?: string;
  width?: number;
  height?: number;
  bit_rate?: string;
}

/** ffprobe of a URL or path: format duration and bit rate, and every stream. */
export async function ffprobe(url: string): Promise<{ duration: number; bitRate: number; streams: StreamFacts[] }> {
  const { stdout } = await exec('ffprobe', [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    url,
  ]);
  const data = JSON.parse(stdout) as { format: { duration: string; bit_rate: string }; streams: StreamFacts[] };
  return { duration: Number(data.format.duration), bitRate: Number(data.format.bit_rate), streams: data.streams };
}

/** Decodes every stream ffmpeg finds at `url` (all variants of an HLS master); returns its error output. */
export async function decodeAll(url: string): Promise<string> {
  const { stderr } = await exec('ffmpeg', ['-v', 'error', '-nostdin', '-i', url, '-map', '0', '-f', 'null', '-'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stderr;
}
