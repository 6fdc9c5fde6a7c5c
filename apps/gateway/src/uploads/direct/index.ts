// gateway/uploads/direct: direct (client-to-S3) uploads. What other gateway folders may import (eslint/boundaries.mjs):
// these files, the folder's *.module.ts and its dto/. Everything else here is the folder's own.
export * from './direct-uploads.service';
