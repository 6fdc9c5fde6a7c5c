import { Module } from '@nestjs/common';
import { LimitsConfigModule } from '../limits-config.module';
import { QuotaRepository } from './quota.repository';
import { QuotaService } from './quota.service';

/** Tenant quotas (storage, jobs per day, concurrent jobs), counted in Postgres. */
@Module({
  imports: [LimitsConfigModule],
  providers: [QuotaRepository, QuotaService],
  exports: [QuotaService],
})
export class QuotasModule {}
