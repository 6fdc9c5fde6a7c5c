// gateway/live: the live job feed (LISTEN hub, SSE, the stream GraphQL subscriptions reuse). What other gateway folders may import (eslint/boundaries.mjs):
// these files, the folder's *.module.ts and its dto/. Everything else here is the folder's own.
export * from './job-event-stream';
export * from './job-events.hub';
export * from './job-events.service';
export * from './job-notification';
export * from './job-notifications.publisher';
export * from './sse-writer';
