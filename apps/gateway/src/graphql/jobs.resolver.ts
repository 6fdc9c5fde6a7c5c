import { UseFilters, UseGuards } from '@nestjs/common';
import { Args, ID, Query, Resolver, Subscription } from '@nestjs/graphql';
import type { AuthenticatedKey } from '../auth/api-keys.service';
import { RequireScope } from '../auth/auth.decorators';
import { ApiError } from '../http/api-error';
import { JobQueryService } from '../jobs/job-query.service';
import type { JobView } from '../jobs/job-view';
import { GqlApiKeyGuard, GqlKey } from './graphql-auth';
import { GraphqlErrorFilter } from './graphql-error.filter';
import { JobEventType, JobType } from './graphql.types';
import { JobProgressSource } from './job-progress';

const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.getStatus() === 404;

/** Thin: each field is one call of the service the REST route uses, with the caller's tenant. */
@Resolver(() => JobType)
@UseGuards(GqlApiKeyGuard)
@UseFilters(GraphqlErrorFilter)
export class JobsResolver {
  constructor(
    private readonly queries: JobQueryService,
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

  @Subscription(() => JobEventType, {
    description: 'The SSE stream of GET /api/v1/events/jobs/{id}: state, progress/stage events, then completed or failed (the subscription ends). JOB_NOT_FOUND for an unknown id or another tenant\'s job.',
    resolve: (event: JobEventType) => event,
  })
  @RequireScope('jobs:read')
  jobProgress(@Args('id', { type: () => ID }) id: string, @GqlKey() key: AuthenticatedKey): Promise<AsyncIterableIterator<JobEventType>> {
    return this.progress.open(id, key.tenantId);
  }
}
