export * from './group-status';
export * from './read-pipeline-status';
