export * from './database-config';
export * from './create-data-source';
export * from './persistence.module';
export * from './notified-drain-loop';
export * from './update-columns';
export * from './prepared-select';
