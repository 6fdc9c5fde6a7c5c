import { Injectable } from '@nestjs/common';
import { JobFailed, VideoUploaded, VideoValidated, newEnvelope } from '@tf/contracts';
import { productError } from '@tf/errors';
import { SourceVerdict, inspectSource, mediaLimitsFromEnv } from '@tf/media';
import { jobFailedEvent } from '@tf/stage';
import { ObjectStorage } from '@tf/storage';

export type ValidationOutcome =
  { type: 'VideoValidated'; event: VideoValidated } | { type: 'JobFailed'; event: JobFailed };

/** Decides whether an upload is usable media, reading it over a presigned URL (no local copy). */
@Injectable()
export class SourceValidationService {
  constructor(private readonly storage: ObjectStorage) {}

  async validate(uploaded: VideoUploaded): Promise<ValidationOutcome> {
    const { bucket, key, bytes } = uploaded.source;
    const url = await this.storage.presignGet(bucket, key, 3600);
    const verdict: SourceVerdict = await inspectSource(url, { bytes, limits: mediaLimitsFromEnv() });
    const envelope = newEnvelope(uploaded.job_id);
    if (!verdict.ok) {
      // productError takes a JobErrorCode: a rejection code missing from the documented list does not compile.
      const error = productError(verdict.rejection.code, verdict.rejection.message);
      return { type: 'JobFailed', event: jobFailedEvent(envelope, { spec: uploaded.spec, stage: 'validate', error }) };
    }
    return {
      type: 'VideoValidated',
      event: { ...envelope, source: uploaded.source, spec: uploaded.spec, media: verdict.media, only_stage: null },
    };
  }
}
