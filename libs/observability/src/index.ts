export * from './log-context';
export * from './logger';
export * from './metrics';
export * from './telemetry';
export * from './http-tracing';
export * from './request-id';
export * from './wait-for-dependency';
