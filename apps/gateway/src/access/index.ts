// gateway/access: API keys (authentication, scopes, revocation, the bootstrap key) and the key admin API. What other gateway folders may import (eslint/boundaries.mjs):
// these files, the folder's *.module.ts and its dto/. Everything else here is the folder's own.
export * from './api-key';
export * from './api-key.entity';
export * from './api-key.guard';
export * from './api-keys.repository';
export * from './api-keys.service';
export * from './api-request-authenticator';
export * from './auth.decorators';
export * from './key-revocation.watch';
