import { JobFailed, VideoCompleted } from '@tf/contracts';
import { jobFailedPayload, videoCompletedPayload, webhookBody } from './webhook-payload';

const spec = {
  tenant_id: 't1',
  target_resolutions: ['360p'],
  enable_hls: true,
  enable_transcription: false,
  webhook_url: 'https://example.test/hook',
  priority: 'normal',
  language: null,
};
const envelope = {
  event_id: '6f1c1f0e-8a4e-4c53-9d0f-2f6f5d3c9a10',
  job_id: 'job-1',
  occurred_at: Date.UTC(2025, 0, 2, 3, 4, 5),
  attempt: 1,
};

describe('webhook payloads', () => {
  it('video.completed carries the outputs', () => {
    const output = {
      kind: 'rendition',
      label: '360p',
      object: { bucket: 'processed-videos', key: 'job-1/360p.mp4', bytes: 1234, content_type: 'video/mp4' },
    };
    const event: VideoCompleted = { ...envelope, spec, outputs: [output] };
    expect(videoCompletedPayload(event)).toEqual({
      type: 'video.completed',
      event_id: envelope.event_id,
      job_id: 'job-1',
      occurred_at: '2025-01-02T03:04:05.000Z',
      data: { outputs: [output] },
    });
  });

  it('job.failed carries the stage and the error, never the spec', () => {
    const event: JobFailed = {
      ...envelope,
      spec,
      stage: 'validate',
      code: 'NOT_MEDIA',
      message: 'not a video',
      retryable: false,
    };
    const payload = jobFailedPayload(event);
    expect(payload).toEqual({
      type: 'job.failed',
      event_id: envelope.event_id,
      job_id: 'job-1',
      occurred_at: '2025-01-02T03:04:05.000Z',
      data: { stage: 'validate', code: 'NOT_MEDIA', message: 'not a video', retryable: false },
    });
    expect(JSON.stringify(payload)).not.toContain('webhook_url');
  });

  it('the body keeps the documented top-level key order whatever order the stored payload has', () => {
    const payload = jobFailedPayload({
      ...envelope,
      spec: null,
      stage: 'notify',
      code: 'X',
      message: 'm',
      retryable: true,
    });
    const reordered = {
      data: payload.data,
      job_id: payload.job_id,
      type: payload.type,
      occurred_at: payload.occurred_at,
      event_id: payload.event_id,
    };
    expect(webhookBody(reordered)).toBe(webhookBody(payload));
    expect(Object.keys(JSON.parse(webhookBody(reordered)))).toEqual([
      'type',
      'event_id',
      'job_id',
      'occurred_at',
      'data',
    ]);
  });
});
