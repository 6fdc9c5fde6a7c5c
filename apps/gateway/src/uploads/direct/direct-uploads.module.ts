import { Module } from '@nestjs/common';
import { QuotasModule } from '../../limits/quota/quotas.module';
import { FormUploadsModule } from '../form/form-uploads.module';
import { BucketCors } from './bucket-cors';
import { DirectUploadSweeper } from './direct-upload.sweeper';
import { DirectUploadsController } from './direct-uploads.controller';
import { DirectUploadsRepository } from './direct-uploads.repository';
import { DirectUploadsService } from './direct-uploads.service';

/** Direct (client-to-S3) uploads: /api/v1/uploads, their expiry sweep, and the buckets' CORS for browser clients. */
@Module({
  imports: [FormUploadsModule, QuotasModule],
  controllers: [DirectUploadsController],
  providers: [DirectUploadsRepository, DirectUploadsService, DirectUploadSweeper, BucketCors],
  exports: [DirectUploadsService],
})
export class DirectUploadsModule {}
