// gateway/uploads/form: multipart uploads through the gateway. What other gateway folders may import (eslint/boundaries.mjs):
// these files, the folder's *.module.ts and its dto/. Everything else here is the folder's own.
export * from './source-object';
export * from './upload-fields';
export * from './upload.service';
export * from './upload-fields.dto';
