import { Module } from '@nestjs/common';
import { LIMITS_CONFIG, limitsConfig } from './limits.config';

/** Default rate limits and quotas (TF_RATE_LIMIT_*, TF_QUOTA_*), shared by rate/, quota/ and the key admin. */
@Module({
  providers: [{ provide: LIMITS_CONFIG, useFactory: () => limitsConfig() }],
  exports: [LIMITS_CONFIG],
})
export class LimitsConfigModule {}
