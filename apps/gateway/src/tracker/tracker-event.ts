import type {
  JobFailed,
  JobProgress,
  RenditionsReady,
  TranscriptReady,
  VideoPackaged,
  VideoValidated,
} from '@tf/contracts';

/** The events the job tracker consumes, tagged with their type. */
export type TrackerEvent =
  | { type: 'VideoValidated'; event: VideoValidated }
  | { type: 'RenditionsReady'; event: RenditionsReady }
  | { type: 'VideoPackaged'; event: VideoPackaged }
  | { type: 'TranscriptReady'; event: TranscriptReady }
  | { type: 'JobFailed'; event: JobFailed }
  | { type: 'JobProgress'; event: JobProgress };
