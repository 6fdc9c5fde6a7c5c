export * from './generated/events';
export * from './topics';
export * from './envelope';
export * from './schema-files';
export * from './priority';
export * from './consumer-groups';
