export * from './durable-retry-config';
export * from './durable-retries';
export * from './retry-gate';
export * from './retry-metrics';
export * from './retry-schedule';
