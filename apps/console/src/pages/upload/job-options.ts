import type { UploadFields } from './transfer/direct-upload-transfer';

/** The rendition ladder's labels (the gateway answers UNKNOWN_RESOLUTION for any other). */
export const RESOLUTIONS = ['360p', '480p', '720p', '1080p', '1440p', '2160p'] as const;
export const PRIORITIES = ['high', 'normal', 'low'] as const;
/** Spoken-language hints offered in the form (ISO 639-1); empty: the transcriber detects it. */
export const LANGUAGES: ReadonlyArray<[code: string, name: string]> = [
  ['', 'Detect automatically'],
  ['en', 'English'],
  ['de', 'German'],
  ['fr', 'French'],
  ['es', 'Spanish'],
  ['it', 'Italian'],
  ['pt', 'Portuguese'],
  ['nl', 'Dutch'],
  ['pl', 'Polish'],
  ['sv', 'Swedish'],
  ['ja', 'Japanese'],
  ['zh', 'Chinese'],
];

/** The upload form's job options, as the person sets them. */
export interface JobOptions {
  resolutions: string[];
  hls: boolean;
  transcription: boolean;
  language: string;
  /** Comma-separated, as typed. */
  labels: string;
  priority: (typeof PRIORITIES)[number];
  webhookUrl: string;
}

/** The gateway's defaults (360p and 720p, HLS, transcript, normal priority). */
export const DEFAULT_JOB_OPTIONS: JobOptions = {
  resolutions: ['360p', '720p'],
  hls: true,
  transcription: true,
  language: '',
  labels: '',
  priority: 'normal',
  webhookUrl: '',
};

/** What keeps the form from starting an upload, or null. The gateway checks the rest (codes shown per file). */
export function optionsProblem(options: JobOptions): string | null {
  if (!options.resolutions.length) return 'Choose at least one resolution.';
  return null;
}

/** The job fields of POST /api/v1/uploads for these options (blank ones left to the gateway's defaults). */
export function uploadFieldsOf(options: JobOptions): UploadFields {
  const labels = options.labels
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);
  const webhookUrl = options.webhookUrl.trim();
  return {
    target_resolutions: RESOLUTIONS.filter((r) => options.resolutions.includes(r)),
    enable_hls: options.hls,
    enable_transcription: options.transcription,
    priority: options.priority,
    ...(options.language ? { language: options.language } : {}),
    ...(labels.length ? { labels } : {}),
    ...(webhookUrl ? { webhook_url: webhookUrl } : {}),
  };
}
