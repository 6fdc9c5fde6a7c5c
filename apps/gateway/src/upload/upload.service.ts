import { Inject, Injectable } from '@nestjs/common';
import { JobSpec, newEnvelope } from '@tf/contracts';
import { OutboxWriter } from '@tf/messaging';
import { Buckets, ObjectStorage } from '@tf/storage';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthenticatedKey } from '../auth/api-keys.service';
import { JobNotificationsPublisher } from '../events/job-notifications.publisher';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { newJobRecord } from '../jobs/job-record';
import { JobsRepository } from '../jobs/jobs.repository';
import { MultipartUploadReceiver } from './multipart-upload';
import { displayFilename, sourceKey } from './source-object';
import { parseUploadFields } from './upload-fields';

export const VIDEO_FILE_FIELD = 'video_file';

export interface UploadAccepted {
  job_id: string;
  status: 'queued';
}

/** Accepts an upload: the file streamed to raw-videos, then the job row and VideoUploaded in one transaction. */
@Injectable()
export class UploadService {
  constructor(
    private readonly receiver: MultipartUploadReceiver,
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly jobs: JobsRepository,
    private readonly notifications: JobNotificationsPublisher,
    private readonly storage: ObjectStorage,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async upload(req: IncomingMessage, caller: AuthenticatedKey): Promise<UploadAccepted> {
    const jobId = randomUUID();
    const upload = await this.receiver.receive(req, {
      fileField: VIDEO_FILE_FIELD,
      maxBytes: this.config.maxUploadBytes,
      targetFor: (filename) => ({ bucket: Buckets.raw, key: sourceKey(jobId, filename) }),
      parseFields: parseUploadFields,
    });
    const spec: JobSpec = { tenant_id: caller.tenantId, ...upload.fields };
    const originalFilename = displayFilename(upload.filename);
    const job = newJobRecord({ id: jobId, tenantId: caller.tenantId, spec, source: upload.stored, originalFilename }, new Date());
    try {
      await this.dataSource.transaction(async (tx) => {
        await this.jobs.insert(tx, job);
        await this.outbox.append(tx, 'VideoUploaded', { ...newEnvelope(jobId), source: upload.stored, original_filename: originalFilename, spec });
        await this.notifications.publish(tx, {
          job_id: jobId,
          version: job.version,
          type: 'created',
          status: job.status,
          stage: 'upload',
          stage_status: 'completed',
          percent: 100,
          detail: null,
          error: null,
        });
      });
    } catch (e) {
      // No job refers to the object: do not leave it behind.
      await this.storage.removePrefix(upload.stored.bucket, upload.stored.key).catch(() => undefined);
      throw e;
    }
    return { job_id: jobId, status: 'queued' };
  }
}
