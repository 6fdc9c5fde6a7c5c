import type { components } from '../../../../../../libs/client/src/generated/openapi';

// The direct-upload shapes as the gateway's OpenAPI document defines them (generated; never hand-written).

export type DirectUpload = components['schemas']['DirectUploadDto'];
export type CreateUploadBody = components['schemas']['CreateUploadDto'];
export type CompletedPart = components['schemas']['CompletedPartDto'];
export type UploadCompleted = components['schemas']['UploadCompletedDto'];
