import { UseFilters, UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { RequireScope } from '../access/auth.decorators';
import {
  CompletedPartDto,
  CreateUploadDto,
  DirectUploadDto,
  HttpHeaderDto,
  UploadCompletedDto,
  UploadInstructionsDto,
} from '../uploads/direct/dto/direct-upload.dto';
import { DirectUploadsService } from '../uploads/direct/direct-uploads.service';
import { GqlApiKeyGuard, GqlKey } from './graphql-auth';
import { GraphqlErrorFilter } from './graphql-error.filter';

// createUpload's input is a CreateUploadDto: the global API validation pipe checks it as it does the
// REST body, with the same codes and defaults. submitJob's parts are checked by the service (as REST's).

/** Direct uploads, through the service of POST /api/v1/uploads and POST /api/v1/uploads/{id}/complete. */
@Resolver(() => DirectUploadDto)
@UseGuards(GqlApiKeyGuard)
@UseFilters(GraphqlErrorFilter)
export class UploadsResolver {
  constructor(private readonly uploads: DirectUploadsService) {}

  @Mutation(() => DirectUploadDto, {
    description: 'POST /api/v1/uploads: where to PUT the file (one URL, or one per part)',
  })
  @RequireScope('jobs:write')
  createUpload(
    @Args('input', { type: () => CreateUploadDto }) input: CreateUploadDto,
    @GqlKey() key: AuthenticatedKey,
  ): Promise<DirectUploadDto> {
    return this.uploads.create(input, key);
  }

  @Mutation(() => UploadCompletedDto, {
    description:
      'POST /api/v1/uploads/{id}/complete: the uploaded file becomes a job (multipart: list every part with its ETag). Safe to repeat.',
  })
  @RequireScope('jobs:write')
  submitJob(
    @Args('upload_id', { type: () => ID }) uploadId: string,
    @GqlKey() key: AuthenticatedKey,
    @Args('parts', { type: () => [CompletedPartDto], nullable: true }) parts?: Readonly<CompletedPartDto>[],
  ): Promise<UploadCompletedDto> {
    return this.uploads.complete(uploadId, key, parts ? { parts: parts.map((p) => ({ ...p })) } : {});
  }
}

/** The PUT headers as a list of HttpHeader: GraphQL has no map type (REST answers the map itself). */
@Resolver(() => UploadInstructionsDto)
export class UploadInstructionsResolver {
  @ResolveField('headers', () => [HttpHeaderDto])
  headers(@Parent() upload: UploadInstructionsDto): HttpHeaderDto[] {
    return Object.entries(upload.headers).map(([name, value]) => ({ name, value }));
  }
}
