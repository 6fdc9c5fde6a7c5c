import { Inject, Injectable } from '@nestjs/common';
import { JobSpec, newEnvelope } from '@tf/contracts';
import { OutboxWriter } from '@tf/messaging';
import { Buckets, ObjectStorage, StoredObject } from '@tf/storage';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthenticatedKey } from '../../access/api-keys.service';
import { JobNotificationsPublisher } from '../../live/job-notifications.publisher';
import { GATEWAY_CONFIG, GatewayConfig } from '../../config/gateway.config';
import { newJobRecord } from '../../jobs/job-record';
import { closeIfBodyPending, declaredContentLength } from '../../http/body-pending';
import { JobsRepository } from '../../jobs/jobs.repository';
import { QuotaService, UploadAdmission } from '../../limits/quota/quota.service';
import { countTenantJobCreated } from '../../limits/usage';
import { MultipartUploadReceiver } from './multipart-upload';
import { displayFilename, sourceKey } from './source-object';
import { JobRequest, parseUploadForm } from './upload-fields';
import { UploadAcceptedDto } from './dto/upload-form.dto';

const VIDEO_FILE_FIELD = 'video_file';

/** A stored source object that becomes a job. */
export interface NewUploadedJob {
  jobId: string;
  tenantId: string;
  fields: JobRequest;
  stored: StoredObject;
  /** The client's file name (only its base name is kept). */
  filename: string;
  /** Client-chosen tags for the job list (upload field `labels`). */
  labels?: string[];
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
    private readonly quotas: QuotaService,
  ) {}

  /** Quotas and the key's max upload size are checked before a byte is stored (limits/quota/quota.service.ts). */
  async upload(req: IncomingMessage, caller: AuthenticatedKey): Promise<UploadAcceptedDto> {
    const admission = await this.quotas.admitUpload(caller, declaredContentLength(req)).catch((refusal: unknown) => {
      // Refused before the body was read: close rather than read the rest of it.
      const res = (req as IncomingMessage & { res?: ServerResponse }).res;
      if (res) closeIfBodyPending(req, res);
      throw refusal;
    });
    try {
      return await this.receiveUpload(req, caller, admission);
    } catch (e) {
      throw admission.explain(e);
    } finally {
      await admission.release();
    }
  }

  private async receiveUpload(
    req: IncomingMessage,
    caller: AuthenticatedKey,
    admission: UploadAdmission,
  ): Promise<UploadAcceptedDto> {
    const jobId = randomUUID();
    const upload = await this.receiver.receive(req, {
      fileField: VIDEO_FILE_FIELD,
      maxBytes: Math.min(this.config.maxUploadBytes, admission.maxBytes),
      targetFor: (filename) => ({ bucket: Buckets.raw, key: sourceKey(jobId, filename) }),
      parseFields: (fields) => parseUploadForm(fields, this.config.webhookEgress),
    });
    try {
      await this.dataSource.transaction(async (tx) => {
        await admission.commit(tx, upload.stored.bytes);
        await this.recordNewJob(tx, {
          jobId,
          tenantId: caller.tenantId,
          fields: upload.fields.request,
          labels: upload.fields.labels,
          stored: upload.stored,
          filename: upload.filename,
        });
      });
    } catch (e) {
      // No job refers to the object: do not leave it behind.
      await this.storage.removePrefix(upload.stored.bucket, upload.stored.key).catch(() => undefined);
      throw e;
    }
    countTenantJobCreated(caller.tenantId, upload.stored.bytes);
    return { job_id: jobId, status: 'queued' };
  }

  /**
   * The job of a stored upload, in the caller's transaction: the job row, VideoUploaded through the
   * outbox and the `created` notification. Also used by direct uploads (the client PUT the object
   * itself), so both ways in start a job the same way.
   */
  async recordNewJob(tx: EntityManager, input: NewUploadedJob): Promise<void> {
    const { jobId, tenantId, stored } = input;
    const spec: JobSpec = { tenant_id: tenantId, ...input.fields };
    const originalFilename = displayFilename(input.filename);
    const job = newJobRecord(
      { id: jobId, tenantId, spec, source: stored, originalFilename, labels: input.labels },
      new Date(),
    );
    await this.jobs.insert(tx, job);
    await this.outbox.append(tx, 'VideoUploaded', {
      ...newEnvelope(jobId),
      source: stored,
      original_filename: originalFilename,
      spec,
    });
    await this.notifications.publish(tx, {
      job_id: jobId,
      tenant_id: tenantId,
      version: job.version,
      type: 'created',
      status: job.status,
      overall_progress: job.progress,
      stage: 'upload',
      stage_status: 'completed',
      percent: 100,
      detail: null,
      error: null,
    });
  }
}
