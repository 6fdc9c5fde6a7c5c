/**
 * What ffprobe found in a source: the Avro record `MediaInfo` (schemas/VideoValidated.avsc) itself,
 * so a probe result goes onto an event as it is and the two can never drift apart.
 */
export type { MediaInfo } from '@tf/contracts';
