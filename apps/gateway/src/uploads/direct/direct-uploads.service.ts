import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { Buckets, ObjectStorage, PartToComplete, UploadedPart, s3ErrorCode } from '@tf/storage';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthenticatedKey } from '../../access/api-keys.service';
import { GATEWAY_CONFIG, GatewayConfig } from '../../config/gateway.config';
import { ApiError } from '../../http/api-error';
import { QuotaService } from '../../limits/quota/quota.service';
import { displayFilename, sourceKey } from '../form/source-object';
import { UploadService } from '../form/upload.service';
import { countTenantJobCreated } from '../../limits/usage';
import { directUploadRequestOf } from './direct-upload-request';
import { DirectUploadRecord } from './direct-upload-record';
import {
  CreateUploadDto,
  DirectUploadDto,
  UploadCompletedDto,
  UploadInstructionsDto,
  toDirectUploadDto,
} from './dto/direct-upload.dto';
import { DirectUploadsRepository } from './direct-uploads.repository';
import { checkParts, modeFor, partSizeFor, planParts } from './upload-plan';

const uploadNotFound = (id: string) => ApiError.notFound('UPLOAD_NOT_FOUND', `No upload ${id}`);
const uploadExpired = (u: DirectUploadRecord) =>
  new ApiError(
    HttpStatus.GONE,
    'UPLOAD_EXPIRED',
    `Upload ${u.id} was not completed by ${u.expiresAt.toISOString()}; its bytes were dropped: start a new upload`,
  );
const isDue = (u: DirectUploadRecord, now = Date.now()) => u.status === 'pending' && u.expiresAt.getTime() <= now;
const storageUnavailable = (e: unknown) =>
  new ApiError(
    HttpStatus.SERVICE_UNAVAILABLE,
    'STORAGE_UNAVAILABLE',
    `Object storage failed: ${(e as Error)?.message ?? e}`,
  );

/**
 * Direct (client-to-S3) uploads: the gateway plans the upload and presigns the PUTs, the client
 * sends the bytes to S3 (one PUT, or one per part, each retryable on its own), then calls complete:
 * the gateway joins the parts, checks the stored object and starts the job exactly as a form upload
 * does (UploadService.recordNewJob), in one transaction with the upload's own completion.
 */
@Injectable()
export class DirectUploadsService {
  private readonly logger = new Logger(DirectUploadsService.name);

  constructor(
    private readonly uploads: DirectUploadsRepository,
    private readonly jobs: UploadService,
    private readonly storage: ObjectStorage,
    private readonly dataSource: DataSource,
    private readonly quota: QuotaService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async create(body: CreateUploadDto, caller: AuthenticatedKey): Promise<DirectUploadDto> {
    const request = directUploadRequestOf(
      body,
      this.quota.limitsOf(caller).max_upload_bytes,
      this.config.webhookEgress,
    );
    // Early word on the quotas, before the client sends anything; complete decides for good.
    await this.dataSource.transaction((tx) => this.quota.assertCanStartJob(tx, caller, request.bytes));
    const jobId = randomUUID();
    const key = sourceKey(jobId, request.filename);
    const mode = modeFor(request.bytes);
    const partSize = mode === 'multipart' ? partSizeFor(request.bytes) : null;
    let s3UploadId: string | null = null;
    if (mode === 'multipart') {
      s3UploadId = await this.storage
        .startMultipartUpload(Buckets.raw, key, request.contentType)
        .catch((e: unknown) => {
          throw storageUnavailable(e);
        });
    }
    const now = new Date();
    const upload: DirectUploadRecord = {
      id: randomUUID(),
      tenantId: caller.tenantId,
      jobId,
      status: 'pending',
      mode,
      filename: displayFilename(request.filename),
      contentType: request.contentType,
      bytes: request.bytes,
      spec: { tenant_id: caller.tenantId, ...request.fields },
      labels: request.labels,
      bucket: Buckets.raw,
      key,
      s3UploadId,
      partSize,
      partCount: partSize ? planParts(request.bytes, partSize).length : null,
      error: null,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
      expiresAt: new Date(now.getTime() + this.config.uploadExpirySeconds * 1000),
    };
    try {
      await this.uploads.insert(upload);
    } catch (e) {
      if (s3UploadId) await this.storage.abortMultipartUpload(Buckets.raw, key, s3UploadId).catch(() => undefined);
      throw e;
    }
    return this.render(upload);
  }

  async get(id: string, tenantId: string): Promise<DirectUploadDto> {
    const upload = await this.find(id, tenantId);
    // Due but not swept yet: expire it now, so that no fresh URL is handed out for it.
    if (isDue(upload)) return this.render(await this.expire(upload));
    return this.render(upload);
  }

  /**
   * Joins the parts (multipart), checks the stored object's real size and creates the job. Safe to
   * repeat: a completed upload answers with its job again, and a complete interrupted after S3
   * joined the parts finds the object and carries on.
   */
  async complete(id: string, caller: AuthenticatedKey, body: unknown): Promise<UploadCompletedDto> {
    const upload = await this.find(id, caller.tenantId);
    const maxBytes = this.quota.limitsOf(caller).max_upload_bytes;
    if (upload.status === 'completed') return { job_id: upload.jobId, upload_id: upload.id };
    if (isDue(upload)) throw uploadExpired(await this.expire(upload));
    this.assertPending(upload);
    if (upload.mode === 'multipart') await this.joinParts(upload, (body as { parts?: unknown } | null)?.parts);

    const object = await this.storage.stat(upload.bucket, upload.key).catch((e: unknown) => {
      throw storageUnavailable(e);
    });
    if (!object)
      throw new ApiError(
        HttpStatus.CONFLICT,
        'UPLOAD_INCOMPLETE',
        'Nothing was uploaded yet: PUT the file to the upload URL first',
      );
    if (object.bytes > maxBytes) {
      throw await this.refuse(
        upload,
        new ApiError(
          HttpStatus.PAYLOAD_TOO_LARGE,
          'UPLOAD_TOO_LARGE',
          `The stored file has ${object.bytes} bytes, over ${maxBytes}`,
        ),
      );
    }
    if (object.bytes !== upload.bytes) {
      const error = ApiError.badRequest(
        'SIZE_MISMATCH',
        `The stored file has ${object.bytes} bytes; ${upload.bytes} were declared`,
      );
      // A single PUT can simply be repeated with the right file; joined parts cannot be undone.
      if (upload.mode === 'single') throw error;
      throw await this.refuse(upload, error);
    }

    const stored = { bucket: upload.bucket, key: upload.key, bytes: object.bytes, content_type: upload.contentType };
    const { jobId, created } = await this.dataSource.transaction(async (tx) => {
      const locked = await this.uploads.lockForUpdate(tx, upload.id);
      if (!locked) throw uploadNotFound(id);
      // A concurrent complete got here first: same job.
      if (locked.status === 'completed') return { jobId: locked.jobId, created: false };
      this.assertPending(locked);
      // 429 QUOTA_EXCEEDED leaves the upload pending: complete again once the tenant has room.
      await this.quota.assertCanStartJob(tx, caller, stored.bytes);
      const { tenant_id: _tenant, ...fields } = locked.spec;
      await this.jobs.recordNewJob(tx, {
        jobId: locked.jobId,
        tenantId: locked.tenantId,
        fields,
        labels: locked.labels,
        stored,
        filename: locked.filename,
      });
      await this.uploads.update(locked.id, { status: 'completed', completedAt: new Date() }, tx);
      return { jobId: locked.jobId, created: true };
    });
    if (created) countTenantJobCreated(upload.tenantId, stored.bytes);
    return { job_id: jobId, upload_id: upload.id };
  }

  /** Cancels a pending upload: S3 drops the parts (or the PUT object). Repeating it is harmless. */
  async abort(id: string, tenantId: string): Promise<DirectUploadDto> {
    const upload = await this.find(id, tenantId);
    if (upload.status === 'completed')
      throw new ApiError(HttpStatus.CONFLICT, 'UPLOAD_COMPLETED', `Upload ${id} already became job ${upload.jobId}`);
    if (upload.status === 'pending') {
      await this.dropStoredBytes(upload).catch((e: unknown) => {
        throw storageUnavailable(e);
      });
      await this.uploads.update(upload.id, { status: 'aborted' });
    }
    return this.get(id, tenantId);
  }

  /**
   * Expires up to `limit` pending uploads past their expires_at, on whichever replica gets to them
   * first: S3 drops the parts (or the PUT object), the upload becomes `expired`. An upload whose
   * storage cleanup fails stays pending and is tried again on the next sweep. Returns how many expired.
   */
  async expireDue(limit = 100): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      let expired = 0;
      for (const upload of await this.uploads.claimExpired(tx, limit)) {
        try {
          await this.dropStoredBytes(upload);
        } catch (e) {
          this.logger.warn(`direct upload ${upload.id} not expired yet, storage failed: ${(e as Error).message}`);
          continue;
        }
        await this.uploads.update(upload.id, { status: 'expired', error: this.expiredError(upload) }, tx);
        expired++;
      }
      return expired;
    });
  }

  /** Expires one due upload now (a read or complete found it before the sweeper did). */
  private async expire(upload: DirectUploadRecord): Promise<DirectUploadRecord> {
    await this.dropStoredBytes(upload).catch((e: unknown) => {
      throw storageUnavailable(e);
    });
    const change = { status: 'expired' as const, error: this.expiredError(upload) };
    await this.uploads.update(upload.id, change);
    return { ...upload, ...change };
  }

  private expiredError(upload: DirectUploadRecord): { code: string; message: string } {
    const { code, message } = uploadExpired(upload);
    return { code, message };
  }

  /** What S3 holds for a pending upload: its multipart upload (and parts), or the object a PUT made. */
  private async dropStoredBytes(upload: DirectUploadRecord): Promise<void> {
    if (upload.s3UploadId) await this.storage.abortMultipartUpload(upload.bucket, upload.key, upload.s3UploadId);
    await this.storage.removePrefix(upload.bucket, upload.key);
  }

  private async find(id: string, tenantId: string): Promise<DirectUploadRecord> {
    const upload = await this.uploads.findForTenant(id, tenantId);
    if (!upload) throw uploadNotFound(id);
    return upload;
  }

  private assertPending(upload: DirectUploadRecord): void {
    if (upload.status === 'aborted')
      throw new ApiError(HttpStatus.CONFLICT, 'UPLOAD_CANCELLED', `Upload ${upload.id} was cancelled`);
    if (upload.status === 'expired') throw uploadExpired(upload);
    if (upload.status === 'failed') {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'UPLOAD_FAILED',
        `Upload ${upload.id} was refused: ${upload.error?.code ?? ''} ${upload.error?.message ?? ''}`.trim(),
      );
    }
  }

  /** Multipart: checks the client's part list against S3's, then has S3 join the parts. */
  private async joinParts(upload: DirectUploadRecord, requested: unknown): Promise<void> {
    const uploadId = upload.s3UploadId!;
    const received = await this.storage.listUploadedParts(upload.bucket, upload.key, uploadId).catch((e: unknown) => {
      throw storageUnavailable(e);
    });
    // S3 no longer knows the upload: an earlier complete joined the parts and was interrupted before the job was recorded.
    if (received === null) return;
    const parts: PartToComplete[] = checkParts(planParts(upload.bytes, upload.partSize!), requested, received);
    try {
      await this.storage.completeMultipartUpload(upload.bucket, upload.key, uploadId, parts);
    } catch (e) {
      const code = s3ErrorCode(e);
      if (code === 'NoSuchUpload') return; // joined by a concurrent complete
      if (code === 'InvalidPart' || code === 'InvalidPartOrder' || code === 'EntityTooSmall') {
        throw ApiError.badRequest('INVALID_PARTS', `S3 refused the parts: ${(e as Error).message}`);
      }
      throw storageUnavailable(e);
    }
  }

  /** Marks the upload failed and deletes its object; returns the error to answer with. */
  private async refuse(upload: DirectUploadRecord, error: ApiError): Promise<ApiError> {
    this.logger.warn(`direct upload ${upload.id} refused at complete: ${error.code}`);
    await this.storage.removePrefix(upload.bucket, upload.key).catch(() => undefined);
    await this.uploads.update(upload.id, { status: 'failed', error: { code: error.code, message: error.message } });
    return error;
  }

  /** The view with what S3 holds now and, while pending, fresh URLs for what is still missing. */
  private async render(upload: DirectUploadRecord): Promise<DirectUploadDto> {
    if (upload.status !== 'pending') return toDirectUploadDto(upload, [], null, []);
    const expirySeconds = this.config.presignExpirySeconds;
    const expiresAt = new Date(Date.now() + expirySeconds * 1000).toISOString();
    const headers = { 'Content-Type': upload.contentType };
    try {
      if (upload.mode === 'single') {
        const object = await this.storage.stat(upload.bucket, upload.key);
        const received: UploadedPart[] = object
          ? [{ part_number: 1, bytes: object.bytes, etag: object.etag.replace(/"/g, '') }]
          : [];
        const url = await this.storage.presignPut(upload.bucket, upload.key, expirySeconds);
        return toDirectUploadDto(upload, received, { method: 'PUT', expires_at: expiresAt, url, headers }, []);
      }
      const received = (await this.storage.listUploadedParts(upload.bucket, upload.key, upload.s3UploadId!)) ?? [];
      const have = new Set(received.map((p) => p.part_number));
      const missing = planParts(upload.bytes, upload.partSize!).filter((p) => !have.has(p.part_number));
      const parts = await Promise.all(
        missing.map(async (p) => ({
          ...p,
          url: await this.storage.presignUploadPart(
            upload.bucket,
            upload.key,
            upload.s3UploadId!,
            p.part_number,
            expirySeconds,
          ),
        })),
      );
      // Parts carry no Content-Type: the object's type was fixed when the multipart upload started.
      const instructions: UploadInstructionsDto = { method: 'PUT', expires_at: expiresAt, headers: {}, parts };
      return toDirectUploadDto(
        upload,
        received,
        instructions,
        missing.map((p) => p.part_number),
      );
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw storageUnavailable(e);
    }
  }
}
