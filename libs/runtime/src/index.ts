export * from './bootstrap';
export * from './consumer-transport';
export { immutableJsonBody } from './json-reply-adapter';
export * from './ops.controller';
export * from './raw-error.filter';
export * from './runtime.env';
