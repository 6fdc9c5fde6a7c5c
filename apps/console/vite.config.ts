import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The console is served by the gateway (apps/gateway/src/console) from dist/console on the same origin
// as the API. `npm run dev:console` proxies the API to a running gateway's console port instead.
const gateway = process.env.TF_CONSOLE_API ?? 'http://127.0.0.1:18080';

export default defineConfig({
  root: __dirname,
  build: {
    outDir: resolve(__dirname, '../../dist/console'),
    emptyOutDir: true,
    // The budget (bench/console-budget.ts) is the first page's gzipped JS; the player's hls.js is its own chunk.
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/graphql', '/playback', '/docs'].map((p) => [p, { target: gateway, ws: true }]),
    ),
  },
});
