import { EnvUrl, readEnv, requiredInProduction } from '@tf/config';
import { Client } from 'minio';

/** The three buckets of the product. */
export const Buckets = {
  raw: 'raw-videos',
  processed: 'processed-videos',
  hls: 'hls-streams',
} as const;

export interface StorageConfig {
  /** Where the services reach S3 (TF_S3_ENDPOINT); our ffmpeg inputs are presigned on it. */
  endpoint: URL;
  /**
   * Where clients reach the same S3 (TF_S3_PUBLIC_ENDPOINT, default the endpoint): the URLs handed to
   * browsers, players and other machines are signed for it. In docker-compose the services' `http://s3:9000`
   * resolves inside the network only; the host reaches the published port.
   */
  publicEndpoint?: URL;
  accessKey: string;
  secretKey: string;
  region: string;
}

class StorageEnv {
  @EnvUrl() TF_S3_PUBLIC_ENDPOINT?: string;
}

/** Defaults are the local stack's versitygw; production must name its own S3 and credentials (TF_ENV). */
export function storageConfig(env = process.env): StorageConfig {
  const endpoint = new URL(requiredInProduction(env, 'TF_S3_ENDPOINT', 'http://127.0.0.1:9000'));
  const publicEndpoint = readEnv(StorageEnv, env).TF_S3_PUBLIC_ENDPOINT;
  return {
    endpoint,
    publicEndpoint: publicEndpoint ? originOnly('TF_S3_PUBLIC_ENDPOINT', publicEndpoint) : endpoint,
    accessKey: requiredInProduction(env, 'TF_S3_ACCESS_KEY', 'tfaccess'),
    secretKey: requiredInProduction(env, 'TF_S3_SECRET_KEY', 'tfsecret123'),
    region: env.TF_S3_REGION ?? 'us-east-1',
  };
}

/** The S3 client signs for scheme, host and port only: a path or query would be dropped from every URL. */
function originOnly(name: string, value: string): URL {
  const url = new URL(value);
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password)
    throw new Error(
      `${name} must be an origin (scheme, host and optional port, no path or credentials), got "${value}"`,
    );
  return url;
}

/** A client whose presigned URLs name the public endpoint: it only signs (the region is given, so it never calls S3). */
export const createPublicLinkClient = (config = storageConfig()): Client =>
  createS3Client({ ...config, endpoint: config.publicEndpoint ?? config.endpoint });

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
