// gateway/limits: default limits and per-key overrides. What other gateway folders may import (eslint/boundaries.mjs):
// these files, the folder's *.module.ts and its dto/. Everything else here is the folder's own.
export * from './key-limits';
export * from './limits.config';
