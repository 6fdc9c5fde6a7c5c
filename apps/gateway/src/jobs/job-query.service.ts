import { Inject, Injectable } from '@nestjs/common';
import { ObjectStorage } from '@tf/storage';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { jobNotFound } from '../http/api-error';
import { JobRecord } from './job-record';
import { JobView, outputsOf, toJobView } from './job-view';
import { JobsRepository } from './jobs.repository';

/** Reads jobs for their tenant and renders them with presigned output URLs. */
@Injectable()
export class JobQueryService {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly storage: ObjectStorage,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** The job and the version its view shows; 404 JOB_NOT_FOUND for unknown ids and other tenants' jobs. */
  async snapshot(id: string, tenantId: string): Promise<{ job: JobRecord; view: JobView }> {
    const job = await this.jobs.findForTenant(id, tenantId);
    if (!job) throw jobNotFound(id);
    return { job, view: await this.render(job) };
  }

  async get(id: string, tenantId: string): Promise<JobView> {
    return (await this.snapshot(id, tenantId)).view;
  }

  private async render(job: JobRecord): Promise<JobView> {
    const urls = await Promise.all(outputsOf(job).map((o) => this.storage.presignGet(o.object.bucket, o.object.key, this.config.presignExpirySeconds)));
    return toJobView(job, urls);
  }
}
