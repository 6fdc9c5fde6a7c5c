import { CreateDirectUploads1764482000000 } from './migrations/1764482000000-create-direct-uploads';
import { DirectUploadExpiry1764483000000 } from './migrations/1764483000000-direct-upload-expiry';
import { DirectUploadLabels1764512000000 } from './migrations/1764512000000-direct-upload-labels';
import { DirectUploadEntity } from './direct-upload.entity';

export const directUploadEntities = [DirectUploadEntity];
export const directUploadMigrations = [
  CreateDirectUploads1764482000000,
  DirectUploadExpiry1764483000000,
  DirectUploadLabels1764512000000,
];
