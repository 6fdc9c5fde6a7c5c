import { UseFilters, UseGuards } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import type { AuthenticatedKey } from '../access/api-keys.service';
import { RequireScope } from '../access/auth.decorators';
import { CancelResult, JobControlService, RetryResult } from '../control/job-control.service';
import { ApiError } from '../http/api-error';
import { JobQueryService } from '../jobs/job-query.service';
import type { JobListView, JobView } from '../jobs/job-view';
import { GqlApiKeyGuard, GqlKey } from './graphql-auth';
import { GraphqlErrorFilter } from './graphql-error.filter';
import { CancelResultType, JobEventType, JobPageType, JobType, RetryResultType } from './graphql.types';
import { JobProgressSource } from './job-progress';
import { pagedFieldCost } from './operation-limits';

const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.getStatus() === 404;

/** Thin: each field is one call of the service the REST route uses, with the caller's tenant. */
@Resolver(() => JobType)
@UseGuards(GqlApiKeyGuard)
@UseFilters(GraphqlErrorFilter)
export class JobsResolver {
  constructor(
    private readonly queries: JobQueryService,
    private readonly control: JobControlService,
    private readonly progress: JobProgressSource,
  ) {}

  @Query(() => JobType, { nullable: true, description: 'GET /api/v1/jobs/{id}; null for an unknown id or another tenant\'s job' })
  @RequireScope('jobs:read')
  async job(@Args('id', { type: () => ID }) id: string, @GqlKey() key: AuthenticatedKey): Promise<JobView | null> {
    try {
      return await this.queries.get(id, key.tenantId);
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  @Query(() => JobPageType, { description: 'GET /api/v1/jobs?status=&limit=&cursor= : the tenant\'s jobs, newest first', complexity: pagedFieldCost })
  @RequireScope('jobs:read')
  jobs(
    @GqlKey() key: AuthenticatedKey,
    @Args('status', { type: () => String, nullable: true, description: 'queued | processing | completed | failed | cancelled' }) status?: string,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size (default 20, at most 100)' }) first?: number,
    @Args('after', { type: () => String, nullable: true, description: 'next_cursor of the previous page' }) after?: string,
  ): Promise<JobListView> {
    // The REST route's query parameters, validated by the same code (INVALID_STATUS, INVALID_LIMIT, INVALID_CURSOR).
    const query: Record<string, string> = {};
    if (status != null) query.status = status;
    if (first != null) query.limit = String(first);
    if (after != null) query.cursor = after;
    return this.queries.list(key.tenantId, query);
  }

  @Mutation(() => CancelResultType, { description: 'POST /api/v1/jobs/{id}/cancel' })
  @RequireScope('jobs:write')
  cancelJob(
    @Args('id', { type: () => ID }) id: string,
    @GqlKey() key: AuthenticatedKey,
    @Args('reason', { type: () => String, nullable: true }) reason?: string,
  ): Promise<CancelResult> {
    return this.control.cancel(id, key.tenantId, reason ?? null);
  }

  @Mutation(() => RetryResultType, { description: 'POST /api/v1/jobs/{id}/retry' })
  @RequireScope('jobs:write')
  retryJob(@Args('id', { type: () => ID }) id: string, @GqlKey() key: AuthenticatedKey): Promise<RetryResult> {
    return this.control.retry(id, key.tenantId);
  }

  @Subscription(() => JobEventType, {
    description: 'The SSE stream of GET /api/v1/events/jobs/{id}: state, progress/stage events, then completed or failed (the subscription ends). JOB_NOT_FOUND for an unknown id or another tenant\'s job.',
    resolve: (event: JobEventType) => event,
  })
  @RequireScope('jobs:read')
  jobProgress(@Args('id', { type: () => ID }) id: string, @GqlKey() key: AuthenticatedKey): Promise<AsyncIterableIterator<JobEventType>> {
    return this.progress.open(id, key);
  }
}
