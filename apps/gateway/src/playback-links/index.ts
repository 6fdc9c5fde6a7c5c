// gateway/playback-links: signed playback URLs (token, settings, the grant of a job). What other gateway folders
// may import (eslint/boundaries.mjs): these files, the folder's *.module.ts and its dto/.
export * from './playback-links';
export * from './playback-token';
