/** The job as GET /api/v1/jobs/:id shows it. */
export interface JobView {
  job_id: string;
  status: 'queued' | 'processing' | 'completed' | 'failed' | 'cancelled';
  error: { code: string; message: string } | null;
  outputs: JobOutputView[];
  [field: string]: unknown;
}

export interface JobOutputView {
  kind: 'rendition' | 'hls' | 'audio' | 'thumbnail' | 'transcript';
  label: string;
  url: string;
  content_type: string;
  bytes: number;
}

export interface UploadOptions {
  targetResolutions?: string[];
  enableHls?: boolean;
  enableTranscription?: boolean;
  webhookUrl?: string;
  priority?: 'high' | 'normal' | 'low';
  language?: string;
}

export interface JobStreamEvent {
  event: string;
  data: Record<string, unknown>;
}

/** A 4xx/5xx answer of the API, with its machine-readable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'ApiError';
  }
}
