import { UseFilters, UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { RequireScope } from '../access/auth.decorators';
import type { DirectUploadView } from '../uploads/direct/direct-upload-view';
import { DirectUploadCompleted, DirectUploadsService } from '../uploads/direct/direct-uploads.service';
import { GqlApiKeyGuard, GqlKey } from './graphql-auth';
import { GraphqlErrorFilter } from './graphql-error.filter';
import { CompletedPartInput, CreateUploadInput, DirectUploadType, SubmittedJobType } from './graphql.types';

/** The REST view with its headers as a list (GraphQL has no map type). */
export function toDirectUploadType(view: DirectUploadView): DirectUploadType {
  const upload = view.upload && {
    method: view.upload.method,
    expires_at: view.upload.expires_at,
    url: view.upload.url ?? null,
    headers: Object.entries(view.upload.headers).map(([name, value]) => ({ name, value })),
    parts: view.upload.parts ?? null,
  };
  return { ...view, upload };
}

/** Direct uploads, through the service of POST /api/v1/uploads and POST /api/v1/uploads/{id}/complete. */
@Resolver(() => DirectUploadType)
@UseGuards(GqlApiKeyGuard)
@UseFilters(GraphqlErrorFilter)
export class UploadsResolver {
  constructor(private readonly uploads: DirectUploadsService) {}

  @Mutation(() => DirectUploadType, { description: 'POST /api/v1/uploads: where to PUT the file (one URL, or one per part)' })
  @RequireScope('jobs:write')
  async createUpload(@Args('input', { type: () => CreateUploadInput }) input: CreateUploadInput, @GqlKey() key: AuthenticatedKey): Promise<DirectUploadType> {
    // The JSON body of the REST route: the same validation, codes and defaults.
    return toDirectUploadType(await this.uploads.create({ ...input }, key));
  }

  @Mutation(() => SubmittedJobType, {
    description: 'POST /api/v1/uploads/{id}/complete: the uploaded file becomes a job (multipart: list every part with its ETag). Safe to repeat.',
  })
  @RequireScope('jobs:write')
  submitJob(
    @Args('upload_id', { type: () => ID }) uploadId: string,
    @GqlKey() key: AuthenticatedKey,
    @Args('parts', { type: () => [CompletedPartInput], nullable: true }) parts?: CompletedPartInput[],
  ): Promise<DirectUploadCompleted> {
    return this.uploads.complete(uploadId, key, parts ? { parts: parts.map((p) => ({ ...p })) } : {});
  }
}
