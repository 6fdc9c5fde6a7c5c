import type { JobSpec } from '@tf/contracts';
import type { UploadMode } from './upload-plan';

/**
 * pending: URLs handed out, waiting for the bytes and the complete call; completed: the job exists
 * (job_id); aborted: cancelled by the client; failed: the stored object was refused at complete;
 * expired: not completed by expires_at, so its bytes (object or parts) were dropped.
 */
export type DirectUploadStatus = 'pending' | 'completed' | 'aborted' | 'failed' | 'expired';

/** One upload the client sends straight to S3 (gateway.direct_uploads). */
export interface DirectUploadRecord {
  id: string;
  tenantId: string;
  /** Reserved at creation: the object lives at raw-videos/{job_id}/source{ext}, like a form upload's. */
  jobId: string;
  status: DirectUploadStatus;
  mode: UploadMode;
  /** The client's file name (base name). */
  filename: string;
  contentType: string;
  /** Declared size: the object must have exactly this many bytes at complete. */
  bytes: number;
  /** The job the upload becomes. */
  spec: JobSpec;
  /** The job's labels (gateway-only: not in the JobSpec). */
  labels: string[];
  bucket: string;
  key: string;
  /** S3 multipart upload id (multipart mode). */
  s3UploadId: string | null;
  partSize: number | null;
  partCount: number | null;
  error: { code: string; message: string } | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  /** A pending upload not completed by then expires: the sweeper drops what S3 holds for it. */
  expiresAt: Date;
}
