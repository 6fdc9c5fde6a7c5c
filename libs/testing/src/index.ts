export * from './sample-media';
