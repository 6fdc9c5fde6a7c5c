// Signed playback on the real stack: a clip uploaded through the client and processed by the
// pipeline (its four stages run from source; HLS with subtitles), then played through the gateway's
// signed URL by ffmpeg and by hls.js in headless Chromium; expired, tampered and foreign tokens refused.
// The gateway presigns for a public S3 endpoint (TF_S3_PUBLIC_ENDPOINT) that is not the services' one:
// a TCP relay to S3 on another port, as docker-compose's published port is for http://s3:9000.
import { execFile, execFileSync } from 'node:child_process';
import { AddressInfo, Server, Socket, connect, createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { request } from 'undici';
import { TranscodeFlowClient } from '@tf/client';
import { storageConfig } from '@tf/storage';
import { makeSampleClip } from '@tf/testing';
import { makeTempDir, removeDir } from '../../libs/media/src/testing/lavfi-fixtures';
import { signPlaybackToken } from '../../apps/gateway/src/playback-links/playback-token';
import { GatewayProcess, JobFixtures, newBootstrapKey, startGateway } from '../gateway/gateway-harness';
import { startService } from '../jobs/jobs-harness';
import { ServiceProcess, repoRoot } from '../support/processes';
import { PlayerPageServer, PlayerState, servePlayerPage } from './player-page';

const exec = promisify(execFile);
const PIPELINE = ['validator', 'transcoder', 'hls', 'transcriber'] as const;
const SECRET = `itest-playback-${process.pid}`;
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

async function get(url: string, headers: Record<string, string> = {}, method: 'GET' | 'POST' = 'GET'): Promise<Answer> {
  const res = await request(url, { method, headers, reset: true });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

/** A key made on the gateway database with `tflow admin create-key`, as an operator would. */
function cliCreateKey(tenant: string, scopes: string): string {
  return execFileSync(
    process.execPath,
    [join(repoRoot, 'bin/tflow.js'), 'admin', 'create-key', '--tenant', tenant, '--scopes', scopes],
    { cwd: '/', encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim();
}

/** A TCP relay to S3 on an ephemeral port: another address of the same S3, like a published port. */
async function relayTo(
  target: URL,
): Promise<{ origin: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    connections++;
    const upstream = connect(Number(target.port || 80), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** ffmpeg's exit code and error output (-v error: empty when everything decoded cleanly). */
async function ffmpegDecode(url: string): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await exec(
      'ffmpeg',
      ['-nostdin', '-v', 'error', '-i', url, '-map', '0:v', '-map', '0:a', '-f', 'null', '-'],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    return { code: 0, stderr };
  } catch (e) {
    const err = e as { code?: number; stderr?: string };
    return { code: err.code ?? -1, stderr: err.stderr ?? '' };
  }
}

describe('signed playback', () => {
  const apiKey = newBootstrapKey();
  let gateway: GatewayProcess;
  let stages: ServiceProcess[] = [];
  let dir: string;
  let jobId: string;
  let grant: { url: string; expires_at: string };
  let publicS3: Awaited<ReturnType<typeof relayTo>>;
  const api = (path: string) => `${gateway.url}${path}`;
  const mint = (id: string, key: string | null) =>
    get(api(`/api/v1/jobs/${id}/playback`), key ? { 'x-api-key': key } : {}, 'POST');
  /** The signed base: .../playback/{job}/{token}/ */
  const base = () => grant.url.slice(0, -'master.m3u8'.length);
  const token = () => grant.url.split('/').slice(-2)[0];

  beforeAll(async () => {
    dir = await makeTempDir('tf-itest-playback-');
    publicS3 = await relayTo(storageConfig().endpoint);
    // A replica of the gateway on an ephemeral port: browsers refuse the default 10080 (a Fetch "bad port").
    // The pipeline: one replica of each stage, from source, in the real consumer groups (the background
    // services of scripts/services.sh are stopped around integration test files).
    [gateway, ...stages] = await Promise.all([
      startGateway({
        TF_BOOTSTRAP_API_KEY: apiKey,
        TF_PLAYBACK_SECRET: SECRET,
        TF_S3_PUBLIC_ENDPOINT: publicS3.origin,
      }),
      ...PIPELINE.map((app) => startService(app)),
    ]);
    const clip = await makeSampleClip(join(dir, 'clip.mp4'), { width: 1280, height: 720, durationS: 8 });
    const client = new TranscodeFlowClient({ baseUrl: gateway.url, apiKey });
    ({ job_id: jobId } = await client.uploadFile(clip, {
      targetResolutions: ['360p', '720p'],
      enableHls: true,
      enableTranscription: true,
    }));
    const job = await client.waitForJob(jobId);
    expect(job.status).toBe('completed');
    const res = await mint(jobId, apiKey);
    expect(res.status).toBe(200);
    grant = JSON.parse(res.text);
  });
  afterAll(async () => {
    await Promise.all(stages.map((s) => s.kill()));
    await gateway?.stop();
    await publicS3?.close();
    if (dir) await removeDir(dir);
  });

  it('mints a URL on this gateway with the token in the path, expiring in the future', () => {
    expect(grant.url).toMatch(new RegExp(`^${gateway.url}/playback/${jobId}/\\d+\\.[A-Za-z0-9_-]{43}/master\\.m3u8$`));
    expect(new Date(grant.expires_at).getTime()).toBeGreaterThan(Date.now());
    expect(Number(token().split('.')[0]) * 1000).toBe(new Date(grant.expires_at).getTime());
  });

  it('serves the master as stored (relative URIs, subtitles group) and media playlists with segments presigned until the token expires', async () => {
    const master = await get(grant.url);
    expect(master.status).toBe(200);
    expect(master.headers['content-type']).toMatch(/^application\/vnd\.apple\.mpegurl/);
    expect(master.headers['access-control-allow-origin']).toBe('*');
    expect(master.text).toContain('\n360p/index.m3u8');
    expect(master.text).toContain('\n720p/index.m3u8');
    expect(master.text).toContain('TYPE=SUBTITLES');
    expect(master.text).toContain('URI="subtitles/index.m3u8"');

    const s3 = publicS3.origin;
    expect(s3).not.toBe(storageConfig().endpoint.origin);
    const variant = await get(`${base()}360p/index.m3u8`);
    expect(variant.status).toBe(200);
    const segments = variant.text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(segments.length).toBeGreaterThan(0);
    const tokenExpiry = new Date(grant.expires_at).getTime();
    for (const [i, uri] of segments.entries()) {
      const u = new URL(uri);
      expect(`${u.origin}${u.pathname}`).toBe(`${s3}/hls-streams/${jobId}/360p/seg-${String(i).padStart(3, '0')}.ts`);
      const signedAt = Date.parse(
        u.searchParams
          .get('X-Amz-Date')!
          .replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
      );
      expect(signedAt + Number(u.searchParams.get('X-Amz-Expires')) * 1000).toBeLessThanOrEqual(tokenExpiry);
    }
    const segment = await get(segments[0]);
    expect(segment.status).toBe(200);

    const subtitles = await get(`${base()}subtitles/index.m3u8`);
    expect(subtitles.status).toBe(200);
    const vttUri = subtitles.text.split('\n').find((l) => l && !l.startsWith('#'))!;
    expect(vttUri).toContain(`/hls-streams/${jobId}/subtitles/transcript.vtt?`);
    expect((await get(vttUri)).text).toMatch(/^WEBVTT/);

    expect((await get(`${base()}1080p/index.m3u8`)).status).toBe(404);
    expect(JSON.parse((await get(`${base()}..%2F..%2Fx/index.m3u8`)).text).code).toMatch(
      /PLAYBACK_NOT_FOUND|NOT_FOUND/,
    );
  });

  it('carries a working playback URL in the job view, and presigns the outputs on the public S3 endpoint', async () => {
    const before = publicS3.connections();
    const res = await get(api(`/api/v1/jobs/${jobId}`), { 'x-api-key': apiKey });
    expect(res.status).toBe(200);
    const view = JSON.parse(res.text) as {
      playback: { url: string; expires_at: string } | null;
      outputs: Array<{ kind: string; url: string }>;
    };
    expect(view.playback).toEqual({
      url: expect.stringMatching(
        new RegExp(`^${gateway.url}/playback/${jobId}/\\d+\\.[A-Za-z0-9_-]{43}/master\\.m3u8$`),
      ),
      expires_at: expect.any(String),
    });
    expect(new Date(view.playback!.expires_at).getTime()).toBeGreaterThan(Date.now());
    const master = await get(view.playback!.url);
    expect([master.status, master.text.startsWith('#EXTM3U')]).toEqual([200, true]);

    expect(view.outputs.map((o) => o.kind)).toEqual(
      expect.arrayContaining(['rendition', 'hls', 'thumbnail', 'transcript']),
    );
    for (const output of view.outputs) {
      expect([output.kind, new URL(output.url).origin]).toEqual([output.kind, publicS3.origin]);
      const bytes = await request(output.url, { headers: { range: 'bytes=0-15' }, reset: true });
      expect([output.kind, bytes.statusCode]).toEqual([output.kind, 206]);
      await bytes.body.dump();
    }
    // The downloads went through the public address (the relay), not the services' endpoint.
    expect(publicS3.connections()).toBeGreaterThan(before);
  });

  it('describes a token (what an embed page asks first): the URL it opens and its expiry; expired and forged tokens refused', async () => {
    const described = await get(`${gateway.url}/playback/${jobId}/${token()}`);
    expect(described.status).toBe(200);
    expect(described.headers['access-control-allow-origin']).toBe('*');
    expect(JSON.parse(described.text)).toEqual(grant);
    const expired = signPlaybackToken(SECRET, jobId, new Date(Date.now() - 1000));
    const late = await get(`${gateway.url}/playback/${jobId}/${expired}`);
    expect([late.status, JSON.parse(late.text).code]).toEqual([403, 'PLAYBACK_TOKEN_EXPIRED']);
    const forged = await get(`${gateway.url}/playback/00000000-0000-4000-8000-000000000000/${token()}`);
    expect([forged.status, JSON.parse(forged.text).code]).toEqual([403, 'PLAYBACK_TOKEN_INVALID']);
  });

  it('ffmpeg decodes every variant through the signed URL', async () => {
    const { code, stderr } = await ffmpegDecode(grant.url);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // Both variants' video streams were read and decoded, frame by frame.
    const { stdout } = await exec('ffprobe', [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v',
      '-show_entries',
      'stream=width,nb_read_frames',
      '-of',
      'json',
      grant.url,
    ]);
    const streams = (JSON.parse(stdout) as { streams: Array<{ width: number; nb_read_frames: string }> }).streams;
    expect(streams.map((s) => s.width).sort((a, b) => a - b)).toEqual([640, 1280]);
    for (const s of streams) expect(Number(s.nb_read_frames)).toBeGreaterThan(0);
    expect(new Set(streams.map((s) => s.nb_read_frames)).size).toBe(1);
  });

  it('hls.js plays it in headless Chromium: currentTime passes 1 s with no fatal error', async () => {
    const page: PlayerPageServer = await servePlayerPage();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    try {
      const tab = await browser.newPage();
      await tab.goto(`${page.url}?src=${encodeURIComponent(grant.url)}`);
      await tab.waitForFunction(
        'window.playerState().currentTime > 1 || window.playerState().fatal !== null',
        undefined,
        { timeout: 120_000 },
      );
      const state = (await tab.evaluate('window.playerState()')) as PlayerState;
      expect(state.fatal).toBeNull();
      expect(state.playError).toBeNull();
      expect(state.currentTime).toBeGreaterThan(1);
      expect(state.levels).toEqual([360, 720]);
      expect(state.subtitleTracks).toBe(1);
    } finally {
      await browser.close();
      await page.close();
    }
  });

  it('refuses expired and tampered tokens, on the master and on media playlists', async () => {
    const expect403 = async (url: string, code: string) => {
      const res = await get(url);
      expect([res.status, JSON.parse(res.text)]).toEqual([
        403,
        { code, message: expect.any(String), request_id: expect.any(String) },
      ]);
    };
    const [exp, sig] = token().split('.');
    const at = (t: string, id = jobId) => `${gateway.url}/playback/${id}/${t}/master.m3u8`;

    const expired = signPlaybackToken(SECRET, jobId, new Date(Date.now() - 1000));
    await expect403(at(expired), 'PLAYBACK_TOKEN_EXPIRED');
    await expect403(at(expired).replace('master.m3u8', '360p/index.m3u8'), 'PLAYBACK_TOKEN_EXPIRED');

    const flipped = `${exp}.${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
    await expect403(at(flipped), 'PLAYBACK_TOKEN_INVALID');
    await expect403(at(`${Number(exp) + 86400}.${sig}`), 'PLAYBACK_TOKEN_INVALID');
    await expect403(
      at(signPlaybackToken('another secret', jobId, new Date(Date.now() + 3600_000))),
      'PLAYBACK_TOKEN_INVALID',
    );
    await expect403(at('garbage'), 'PLAYBACK_TOKEN_INVALID');
    await expect403(`${at(flipped).replace('master.m3u8', '720p/index.m3u8')}`, 'PLAYBACK_TOKEN_INVALID');
    // A token opens its own job only.
    await expect403(at(token(), '00000000-0000-4000-8000-000000000000'), 'PLAYBACK_TOKEN_INVALID');

    const { code } = await ffmpegDecode(at(flipped));
    expect(code).not.toBe(0);
  });

  it('mints only for the tenant’s own packaged HLS jobs', async () => {
    const other = cliCreateKey(`itest-playback-${process.pid}`, 'jobs:read');
    const foreign = await mint(jobId, other);
    expect([foreign.status, JSON.parse(foreign.text).code]).toEqual([404, 'JOB_NOT_FOUND']);
    const noKey = await mint(jobId, null);
    expect([noKey.status, JSON.parse(noKey.text).code]).toEqual([401, 'MISSING_API_KEY']);

    const fixtures = await JobFixtures.open();
    try {
      const noHls = await fixtures.create('default', { enable_hls: false });
      const notYet = await fixtures.create('default', { enable_hls: true });
      const a = await mint(noHls.id, apiKey);
      expect([a.status, JSON.parse(a.text).code]).toEqual([409, 'HLS_NOT_ENABLED']);
      const b = await mint(notYet.id, apiKey);
      expect([b.status, JSON.parse(b.text).code]).toEqual([409, 'PLAYBACK_NOT_READY']);
      // The job view says the same with playback: null.
      for (const id of [noHls.id, notYet.id]) {
        const view = await get(api(`/api/v1/jobs/${id}`), { 'x-api-key': apiKey });
        expect([view.status, JSON.parse(view.text).playback]).toEqual([200, null]);
      }
    } finally {
      await fixtures.close();
    }
  });
});
