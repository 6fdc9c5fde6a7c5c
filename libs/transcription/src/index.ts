export * from './types';
export * from './errors';
export * from './protocol';
export * from './paths';
export * from './whisper-worker';
export * from './captions';
export * from './wer';
export * from './extract-audio';
