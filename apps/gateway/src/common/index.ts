// gateway/common: small helpers every feature may use. What other gateway folders may import (eslint/boundaries.mjs):
// these files, the folder's *.module.ts and its dto/. Everything else here is the folder's own.
export * from './keyed-listeners';
export * from './scheduled-round';
export * from './pg-listen-connection';
