import { readFile } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { Server, createServer } from 'node:http';
import { join } from 'node:path';
import { repoRoot } from '../support/processes';

/**
 * The page a web player would be: hls.js (from node_modules, nothing from a CDN) playing the signed
 * URL given as ?src=. window.playerState() answers what the test asserts on.
 */
const PAGE = `<!doctype html>
<html>
<head><meta charset="utf-8"><title>tf playback</title></head>
<body>
<video id="video" muted playsinline width="640" height="360"></video>
<script src="/hls.min.js"></script>
<script>
  const player = (window.player = { supported: Hls.isSupported(), errors: [], fatal: null, levels: [], subtitleTracks: 0, playError: null });
  const video = document.getElementById('video');
  window.playerState = () => ({ currentTime: video.currentTime, ...player });
  const hls = new Hls();
  hls.on(Hls.Events.ERROR, (_, data) => {
    const what = data.type + ':' + data.details;
    player.errors.push(what);
    if (data.fatal) player.fatal = what;
  });
  hls.on(Hls.Events.MANIFEST_PARSED, (_, data) => {
    player.levels = data.levels.map((l) => l.height);
    video.play().catch((e) => (player.playError = String(e)));
  });
  hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, (_, data) => (player.subtitleTracks = data.subtitleTracks.length));
  hls.loadSource(new URLSearchParams(location.search).get('src'));
  hls.attachMedia(video);
</script>
</body>
</html>
`;

export interface PlayerPageServer {
  /** http://127.0.0.1:{port}/ : the page; an ephemeral port, never one of the Fetch "bad ports". */
  url: string;
  close: () => Promise<void>;
}

/** What window.playerState() answers. */
export interface PlayerState {
  currentTime: number;
  supported: boolean;
  errors: string[];
  /** The first fatal hls.js error (type:details), else null. */
  fatal: string | null;
  /** Heights of the variants in the master. */
  levels: number[];
  subtitleTracks: number;
  playError: string | null;
}

/** A test-only static server for the page and hls.js. */
export async function servePlayerPage(): Promise<PlayerPageServer> {
  const hlsJs = await readFile(join(repoRoot, 'node_modules/hls.js/dist/hls.min.js'));
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else if (path === '/hls.min.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(hlsJs);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
