import { metricsRegistry } from '@tf/observability';
import { Counter } from 'prom-client';

const readBytes = new Counter({
  name: 'tf_storage_read_bytes_total',
  help: 'Bytes read from S3 through ObjectStorage (downloads, getText), by stage and bucket. Reads that ffmpeg/ffprobe make over a presigned URL are not seen here.',
  labelNames: ['stage', 'bucket'] as const,
  registers: [metricsRegistry],
});

const writtenBytes = new Counter({
  name: 'tf_storage_written_bytes_total',
  help: 'Bytes written to S3 through ObjectStorage (putFile, putText, putStream), by stage and bucket.',
  labelNames: ['stage', 'bucket'] as const,
  registers: [metricsRegistry],
});

/** Where ObjectStorage reports the bytes it moves. */
export interface StorageTraffic {
  read(bucket: string, bytes: number): void;
  written(bucket: string, bytes: number): void;
}

/** Not a job stage (the gateway, tests, scripts): nothing is counted. */
export const UNCOUNTED_TRAFFIC: StorageTraffic = { read: () => undefined, written: () => undefined };

/** Counts a stage's traffic in tf_storage_read_bytes_total / tf_storage_written_bytes_total (labels: the stage, the bucket). */
export function stageStorageTraffic(stage: string): StorageTraffic {
  return {
    read: (bucket, bytes) => readBytes.inc({ stage, bucket }, bytes),
    written: (bucket, bytes) => writtenBytes.inc({ stage, bucket }, bytes),
  };
}
