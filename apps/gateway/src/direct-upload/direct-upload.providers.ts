import { BucketCors } from './bucket-cors';
import { DirectUploadSweeper } from './direct-upload.sweeper';
import { DirectUploadsController } from './direct-uploads.controller';
import { DirectUploadsRepository } from './direct-uploads.repository';
import { DirectUploadsService } from './direct-uploads.service';

/** Direct (client-to-S3) uploads: /api/v1/uploads, and the buckets' CORS for browser clients. */
export const directUploadControllers = [DirectUploadsController];
export const directUploadProviders = [DirectUploadsRepository, DirectUploadsService, DirectUploadSweeper, BucketCors];
