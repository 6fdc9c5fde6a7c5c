export * from './stage-metrics';
export * from './stage-timing';
