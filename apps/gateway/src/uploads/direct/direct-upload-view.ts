import type { UploadedPart } from '@tf/storage';
import { DirectUploadRecord, DirectUploadStatus } from './direct-upload-record';
import { PlannedPart, UploadMode } from './upload-plan';

/** Where and how the client sends the bytes still missing (fresh presigned URLs on every read). */
export interface UploadInstructions {
  method: 'PUT';
  /** When the URLs below stop working; GET the upload again for new ones. */
  expires_at: string;
  /** Single mode: PUT the whole file here. */
  url?: string;
  /** Headers to send with the PUT(s). */
  headers: Record<string, string>;
  /** Multipart mode: PUT bytes offset..offset+bytes-1 of the file to each url, keep each answer's ETag header. */
  parts?: Array<PlannedPart & { url: string }>;
}

/** POST /api/v1/uploads and GET /api/v1/uploads/:id */
export interface DirectUploadView {
  upload_id: string;
  status: DirectUploadStatus;
  mode: UploadMode;
  filename: string;
  content_type: string;
  bytes: number;
  part_size: number | null;
  part_count: number | null;
  /** What S3 holds now (multipart: the parts received; single: the object once PUT). */
  parts_received: Array<{ part_number: number; bytes: number; etag: string }>;
  bytes_received: number;
  /** Multipart, pending: parts not received yet. */
  missing_parts: number[];
  /** Pending only. */
  upload: UploadInstructions | null;
  /** Set once completed. */
  job_id: string | null;
  error: { code: string; message: string } | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  /** A pending upload not completed by then expires (status expired, its bytes dropped). */
  expires_at: string;
}

export function toDirectUploadView(u: DirectUploadRecord, received: UploadedPart[], upload: UploadInstructions | null, missing: number[]): DirectUploadView {
  return {
    upload_id: u.id,
    status: u.status,
    mode: u.mode,
    filename: u.filename,
    content_type: u.contentType,
    bytes: u.bytes,
    part_size: u.partSize,
    part_count: u.partCount,
    parts_received: received.map((p) => ({ part_number: p.part_number, bytes: p.bytes, etag: p.etag })),
    bytes_received: received.reduce((sum, p) => sum + p.bytes, 0),
    missing_parts: missing,
    upload,
    job_id: u.status === 'completed' ? u.jobId : null,
    error: u.error,
    created_at: u.createdAt.toISOString(),
    updated_at: u.updatedAt.toISOString(),
    completed_at: u.completedAt?.toISOString() ?? null,
    expires_at: u.expiresAt.toISOString(),
  };
}
