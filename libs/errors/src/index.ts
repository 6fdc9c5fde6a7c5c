export * from './job-error-codes';
export * from './job-error-docs';
export * from './redact';
export * from './dependency';
export * from './to-job-error';
