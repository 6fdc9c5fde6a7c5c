export * from './admin-types';
export * from './api-types';
export * from './transcode-flow-client';
