// gateway/limits/usage: per-tenant usage counters. What other gateway folders may import (eslint/boundaries.mjs):
// these files, the folder's *.module.ts and its dto/. Everything else here is the folder's own.
export * from './tenant-usage';
