export * from './deployment-env';
export * from './signing-secret';
export * from './local-stack-secrets';
export * from './read-env';
