export * from './bootstrap';
export * from './consumer-transport';
export * from './ops.controller';
export * from './raw-error.filter';
export * from './runtime.env';
