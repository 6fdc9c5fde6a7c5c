// gateway/http: the HTTP edge: API errors, the exception filter, request bodies. What other gateway folders may import (eslint/boundaries.mjs):
// these files, the folder's *.module.ts and its dto/. Everything else here is the folder's own.
export * from './api-error';
export * from './api-exception.filter';
export * from './api-validation.pipe';
export * from './body-pending';
export * from './known-fields';
export * from './api-shape';
export * from './iso-timestamp';
