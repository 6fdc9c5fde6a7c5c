import { Topic, Topics } from './topics';

/** A durable consumer group of the pipeline: the service whose replicas are its members and the topics it reads. */
export interface PipelineConsumerGroup {
  group: string;
  service: string;
  /** The job stage the group runs (the `stage` label of the stage metrics); null for the gateway's job tracker. */
  stage: 'validate' | 'transcode' | 'transcribe' | 'package' | 'notify' | null;
  /** Base topics its handlers subscribe to (each in its three priority lanes). */
  topics: readonly Topic[];
}

/**
 * Who reads what, in the order of the event chain. The gateway's lag collector and `tflow ops status`
 * read it, so a group's lag is known even while none of its members runs. The instance-private
 * cancel broadcast groups (`tf-<service>-cancel-<host>-<pid>`) are not here: they start from the end
 * of the topic and die with their instance. test/contracts/consumer-groups.spec.ts fails when an
 * app's handlers subscribe to other topics than its entry says.
 */
export const PIPELINE_CONSUMER_GROUPS: readonly PipelineConsumerGroup[] = [
  { group: 'tf-validator', service: 'validator', stage: 'validate', topics: [Topics.VideoUploaded] },
  {
    group: 'tf-transcoder',
    service: 'transcoder',
    stage: 'transcode',
    topics: [Topics.VideoValidated, Topics.TranscodeChunkRequested, Topics.JobCancelled],
  },
  {
    group: 'tf-transcriber',
    service: 'transcriber',
    stage: 'transcribe',
    topics: [Topics.VideoValidated, Topics.JobCancelled],
  },
  {
    group: 'tf-hls',
    service: 'hls',
    stage: 'package',
    topics: [Topics.RenditionsReady, Topics.TranscriptReady, Topics.JobCancelled],
  },
  {
    group: 'tf-gateway-jobs',
    service: 'gateway',
    stage: null,
    topics: [
      Topics.VideoValidated,
      Topics.RenditionsReady,
      Topics.VideoPackaged,
      Topics.TranscriptReady,
      Topics.JobFailed,
      Topics.JobCancelled,
      Topics.JobProgress,
      Topics.WebhookDeliveryRecorded,
    ],
  },
  {
    group: 'tf-notifier',
    service: 'notifier',
    stage: 'notify',
    topics: [Topics.VideoCompleted, Topics.JobFailed, Topics.WebhookEndpointChanged, Topics.WebhookRedeliveryRequested],
  },
];
