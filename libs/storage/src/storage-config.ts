import { requiredInProduction } from '@tf/config';
import { Client } from 'minio';

/** The three buckets of the product. */
export const Buckets = {
  raw: 'raw-videos',
  processed: 'processed-videos',
  hls: 'hls-streams',
} as const;

export interface StorageConfig {
  endpoint: URL;
  accessKey: string;
  secretKey: string;
  region: string;
}

/** Defaults are the local stack's versitygw; production must name its own S3 and credentials (TF_ENV). */
export function storageConfig(env = process.env): StorageConfig {
  return {
    endpoint: new URL(requiredInProduction(env, 'TF_S3_ENDPOINT', 'http://127.0.0.1:9000')),
    accessKey: requiredInProduction(env, 'TF_S3_ACCESS_KEY', 'tfaccess'),
    secretKey: requiredInProduction(env, 'TF_S3_SECRET_KEY', 'tfsecret123'),
    region: env.TF_S3_REGION ?? 'us-east-1',
  };
}

/** Path-style addressing: versitygw and S3Proxy serve buckets under the path, not subdomains. */
export function createS3Client(config = storageConfig()): Client {
  const { endpoint } = config;
  return new Client({
    endPoint: endpoint.hostname,
    port: Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80)),
    useSSL: endpoint.protocol === 'https:',
    accessKey: config.accessKey,
    secretKey: config.secretKey,
    region: config.region,
    pathStyle: true,
  });
}
