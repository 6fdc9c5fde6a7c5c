import { Module } from '@nestjs/common';
import { LimitsConfigModule } from '../limits-config.module';
import { RateLimiter } from './rate-limiter';
import { GatewayRedis } from './redis';

/** Rate limits: Redis token buckets per key (and per address for callers without a valid key). */
@Module({
  imports: [LimitsConfigModule],
  providers: [GatewayRedis, RateLimiter],
  exports: [RateLimiter],
})
export class RateLimitsModule {}
