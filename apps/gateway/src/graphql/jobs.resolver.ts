import { UseFilters, UseGuards } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { RequireScope } from '../access/auth.decorators';
import { CancelResultDto, RetryResultDto } from '../control/dto/job-control.dto';
import { JobControlService } from '../control/job-control.service';
import { ApiError } from '../http/api-error';
import { validateAs } from '../http/api-validation.pipe';
import { JobListQueryDto } from '../jobs/dto/job-list-query.dto';
import { JobQueryService } from '../jobs/job-query.service';
import { JobListDto, JobViewDto } from '../jobs/dto/job.dto';
import { JobEventDto } from '../live/dto/job-event.dto';
import { GqlApiKeyGuard, GqlKey } from './graphql-auth';
import { GraphqlErrorFilter } from './graphql-error.filter';
import { JobProgressSource } from './job-progress';
import { pagedFieldCost } from './operation-limits';

const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.getStatus() === 404;

/** Thin: each field is one call of the service the REST route uses, with the caller's tenant. */
@Resolver(() => JobViewDto)
@UseGuards(GqlApiKeyGuard)
@UseFilters(GraphqlErrorFilter)
export class JobsResolver {
  constructor(
    private readonly queries: JobQueryService,
    private readonly control: JobControlService,
    private readonly progress: JobProgressSource,
  ) {}

  @Query(() => JobViewDto, {
    nullable: true,
    description: "GET /api/v1/jobs/{id}; null for an unknown id or another tenant's job",
  })
  @RequireScope('jobs:read')
  async job(@Args('id', { type: () => ID }) id: string, @GqlKey() key: AuthenticatedKey): Promise<JobViewDto | null> {
    try {
      return await this.queries.get(id, key.tenantId);
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  @Query(() => JobListDto, {
    description: "GET /api/v1/jobs?status=&limit=&cursor= : the tenant's jobs, newest first",
    complexity: pagedFieldCost,
  })
  @RequireScope('jobs:read')
  async jobs(
    @GqlKey() key: AuthenticatedKey,
    @Args('status', {
      type: () => String,
      nullable: true,
      description: 'queued | processing | completed | failed | cancelled',
    })
    status?: string,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size (default 20, at most 100)' })
    first?: number,
    @Args('after', { type: () => String, nullable: true, description: 'next_cursor of the previous page' })
    after?: string,
  ): Promise<JobListDto> {
    // The REST route's query parameters, validated by the same class (INVALID_STATUS, INVALID_LIMIT, INVALID_CURSOR).
    const query: Record<string, string> = {};
    if (status != null) query.status = status;
    if (first != null) query.limit = String(first);
    if (after != null) query.cursor = after;
    return this.queries.list(key.tenantId, await validateAs(JobListQueryDto, query));
  }

  @Mutation(() => CancelResultDto, { description: 'POST /api/v1/jobs/{id}/cancel' })
  @RequireScope('jobs:write')
  cancelJob(
    @Args('id', { type: () => ID }) id: string,
    @GqlKey() key: AuthenticatedKey,
    @Args('reason', { type: () => String, nullable: true }) reason?: string,
  ): Promise<CancelResultDto> {
    return this.control.cancel(id, key.tenantId, reason ?? null);
  }

  @Mutation(() => RetryResultDto, { description: 'POST /api/v1/jobs/{id}/retry' })
  @RequireScope('jobs:write')
  retryJob(@Args('id', { type: () => ID }) id: string, @GqlKey() key: AuthenticatedKey): Promise<RetryResultDto> {
    return this.control.retry(id, key.tenantId);
  }

  @Subscription(() => JobEventDto, {
    description:
      "The SSE stream of GET /api/v1/events/jobs/{id}: state, progress/stage events, then completed or failed (the subscription ends). JOB_NOT_FOUND for an unknown id or another tenant's job.",
    resolve: (event: JobEventDto) => event,
  })
  @RequireScope('jobs:read')
  jobProgress(
    @Args('id', { type: () => ID }) id: string,
    @GqlKey() key: AuthenticatedKey,
  ): Promise<AsyncIterableIterator<JobEventDto>> {
    return this.progress.open(id, key);
  }
}
