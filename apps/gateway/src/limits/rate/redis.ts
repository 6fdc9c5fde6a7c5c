import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { LIMITS_CONFIG, LimitsConfig } from '../limits.config';

/**
 * The gateway's Redis connection (TF_REDIS_URL): shared state of every replica. Commands fail fast
 * instead of queueing while Redis is away, so a Redis outage costs a request milliseconds, not a hang.
 */
function createGatewayRedis(url: string): Redis {
  return new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1000,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    // Every /api request runs the rate limit script: the commands of concurrent requests issued in one
    // event-loop tick go out in one write (fewer syscalls under load, nothing changes when idle).
    enableAutoPipelining: true,
  });
}

@Injectable()
export class GatewayRedis implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(GatewayRedis.name);
  readonly client: Redis;

  constructor(@Inject(LIMITS_CONFIG) config: LimitsConfig) {
    this.client = createGatewayRedis(config.redisUrl);
    // Without a listener ioredis prints every failed reconnect; the rate limiter reports what matters.
    let last = 0;
    this.client.on('error', (e: Error) => {
      if (Date.now() - last < 30_000) return;
      last = Date.now();
      this.logger.warn(`redis: ${e.message}`);
    });
  }

  /** Gives the connection a moment before the first request; starts anyway without Redis (limits fail open). */
  async onModuleInit(): Promise<void> {
    if (this.client.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 3000).unref();
      this.client.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if ((this.client.status as string) !== 'ready')
      this.logger.warn('redis is not reachable yet: rate limits are not enforced until it is');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
