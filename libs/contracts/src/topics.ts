import type {
  JobCancelled,
  JobFailed,
  JobProgress,
  RenditionsReady,
  TranscodeChunkRequested,
  TranscriptReady,
  VideoCompleted,
  VideoPackaged,
  VideoUploaded,
  VideoValidated,
  WebhookDeliveryRecorded,
  WebhookEndpointChanged,
  WebhookRedeliveryRequested,
} from './generated/events';

/**
 * Kafka topics of the pipeline. Every message is keyed by job_id, except the transcoder's own chunk
 * topic (<job_id>:<index>, so the parts of one split transcode spread over the partitions).
 */
export const Topics = {
  VideoUploaded: 'tf.video.uploaded',
  VideoValidated: 'tf.video.validated',
  RenditionsReady: 'tf.video.renditions',
  // Split-and-stitch (apps/transcoder/README.md): the parts of one long job, for any transcoder of the group.
  TranscodeChunkRequested: 'tf.video.chunks',
  VideoPackaged: 'tf.video.packaged',
  TranscriptReady: 'tf.video.transcripts',
  VideoCompleted: 'tf.video.completed',
  JobFailed: 'tf.job.failed',
  JobProgress: 'tf.job.progress',
  // Job control (docs/architecture.md): the gateway cancels a job; every stage instance sees it.
  JobCancelled: 'tf.job.cancelled',
  // Webhooks (docs/webhooks.md): endpoint state gateway → notifier, keyed by endpoint id;
  // delivery state notifier → gateway and redelivery requests gateway → notifier, keyed by job id.
  WebhookEndpointChanged: 'tf.webhook.endpoints',
  WebhookDeliveryRecorded: 'tf.webhook.deliveries',
  WebhookRedeliveryRequested: 'tf.webhook.redeliveries',
} as const;

export type EventType = keyof typeof Topics;
export type Topic = (typeof Topics)[EventType];

/** The payload type carried by each topic. */
export interface EventsByType {
  VideoUploaded: VideoUploaded;
  VideoValidated: VideoValidated;
  RenditionsReady: RenditionsReady;
  TranscodeChunkRequested: TranscodeChunkRequested;
  VideoPackaged: VideoPackaged;
  TranscriptReady: TranscriptReady;
  VideoCompleted: VideoCompleted;
  JobFailed: JobFailed;
  JobProgress: JobProgress;
  JobCancelled: JobCancelled;
  WebhookEndpointChanged: WebhookEndpointChanged;
  WebhookDeliveryRecorded: WebhookDeliveryRecorded;
  WebhookRedeliveryRequested: WebhookRedeliveryRequested;
}

export const EventTypeByTopic: Record<Topic, EventType> = Object.fromEntries(
  Object.entries(Topics).map(([type, topic]) => [topic, type]),
) as Record<Topic, EventType>;

/** Confluent subject naming (TopicNameStrategy). */
export const subjectFor = (topic: string): string => `${topic}-value`;

/** What every dead-letter topic's name starts with; the rest is the consumer group's id. */
export const DEAD_LETTER_TOPIC_PREFIX = 'tf.dlq.';

/** Dead-letter topic of one consumer group: poison messages park here with error headers. */
export const deadLetterTopicFor = (consumerGroup: string): string => `${DEAD_LETTER_TOPIC_PREFIX}${consumerGroup}`;

/** Partitions per pipeline topic: the ceiling on consumers per stage group. */
export const DEFAULT_PARTITIONS = 6;
