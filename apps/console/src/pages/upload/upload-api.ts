import { api, data } from '../../api';
import type { UploadApi } from './transfer/direct-upload-transfer';

/** The direct-upload routes through the console's typed client (errors arrive as ApiError with the status). */
export const uploadApi: UploadApi & { abort(uploadId: string): Promise<unknown> } = {
  create: (body) => data(api.POST('/api/v1/uploads', { body })),
  get: (id) => data(api.GET('/api/v1/uploads/{id}', { params: { path: { id } } })),
  complete: (id, parts) =>
    data(api.POST('/api/v1/uploads/{id}/complete', { params: { path: { id } }, body: parts ? { parts } : {} })),
  abort: (id) => data(api.DELETE('/api/v1/uploads/{id}', { params: { path: { id } } })),
};
