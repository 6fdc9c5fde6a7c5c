export * from './storage-config';
export * from './object-storage';
export * from './storage.module';
export * from './reusable-presigned-urls';
