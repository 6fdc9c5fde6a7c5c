export * from './private-address';
export * from './egress-policy';
