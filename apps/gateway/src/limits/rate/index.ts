// gateway/limits/rate: rate limits (Redis token buckets). What other gateway folders may import (eslint/boundaries.mjs):
// these files, the folder's *.module.ts and its dto/. Everything else here is the folder's own.
export * from './rate-limit-headers';
export * from './rate-limiter';
export * from './token-bucket';
