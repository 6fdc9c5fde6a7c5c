import { Module } from '@nestjs/common';
import { JobsModule } from '../../jobs/jobs.module';
import { QuotasModule } from '../../limits/quota/quotas.module';
import { LiveModule } from '../../live/live.module';
import { FormUploadsController } from './form-uploads.controller';
import { MultipartUploadReceiver } from './multipart-upload';
import { UploadService } from './upload.service';

/** Uploads through the gateway: POST /api/v1/jobs/upload streams a multipart form into object storage. */
@Module({
  imports: [JobsModule, LiveModule, QuotasModule],
  controllers: [FormUploadsController],
  providers: [MultipartUploadReceiver, UploadService],
  exports: [UploadService],
})
export class FormUploadsModule {}
