import { Inject, Injectable } from '@nestjs/common';
import { immutableJsonBody } from '@tf/runtime';
import { ObjectStorage, ReusablePresignedUrls, reuseWindowSeconds } from '@tf/storage';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { jobNotFound } from '../http/api-error';
import { PlaybackLinks } from '../playback-links';
import { encodeCursor, jobListQueryOf } from './job-list-query';
import type { JobListQueryDto } from './dto/job-list-query.dto';
import { JobRecord } from './job-record';
import { JobRecordCache } from './job-record-cache';
import { JobListDto, JobViewDto, outputsOf, toJobSummary, toJobView } from './dto/job.dto';
import { JobsRepository } from './jobs.repository';

/** Reads jobs for their tenant and renders them with presigned output URLs (on the public S3 endpoint) and a playback URL. */
@Injectable()
export class JobQueryService {
  /** Output URLs signed once per window (null: the expiry leaves no room for one, every read signs). */
  private readonly outputUrls: ReusablePresignedUrls | null;
  /** Rendered views of the records the job cache hands out (JobRecordCache), by record: see viewOf. */
  private readonly views = new WeakMap<JobRecord, { view: JobViewDto; until: number }>();

  constructor(
    private readonly jobs: JobsRepository,
    private readonly storage: ObjectStorage,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly playback: PlaybackLinks,
    private readonly cache: JobRecordCache,
  ) {
    const windowSeconds = reuseWindowSeconds(config.presignExpirySeconds);
    // Signed for clients: on the public S3 endpoint.
    const forClients = { presignGet: storage.presignClientGet.bind(storage) };
    this.outputUrls =
      windowSeconds > 0
        ? new ReusablePresignedUrls(forClients, { expirySeconds: config.presignExpirySeconds, windowSeconds })
        : null;
  }

  /** The job and the version its view shows; 404 JOB_NOT_FOUND for unknown ids and other tenants' jobs. */
  async snapshot(id: string, tenantId: string): Promise<{ job: JobRecord; view: JobViewDto }> {
    const job = await this.cache.read(id, tenantId, () => this.jobs.findForTenant(id, tenantId));
    if (!job) throw jobNotFound(id);
    return { job, view: await this.viewOf(job) };
  }

  async get(id: string, tenantId: string): Promise<JobViewDto> {
    return (await this.snapshot(id, tenantId)).view;
  }

  /** GET /api/v1/jobs: the tenant's jobs, newest first, filtered, a page at a time (400 on a bad query). */
  async list(tenantId: string, listQuery: JobListQueryDto): Promise<JobListDto> {
    const query = jobListQueryOf(listQuery);
    const page = await this.jobs.listForTenant(tenantId, query);
    const last = page.positions[page.positions.length - 1];
    return { jobs: page.jobs.map(toJobSummary), next_cursor: page.more && last ? encodeCursor(last) : null };
  }

  /**
   * The job's view, rendered once per record and signing window: a record the cache hands out again is the
   * same object (a change brings a new one), so its view is kept next to it until the earliest end of the
   * windows its URLs were signed in. The end is taken before rendering, so every URL in a kept view was
   * signed in a window that lasts at least that long: handed out until then, it still lives its full
   * TF_PRESIGN_EXPIRY_S (outputs) / TF_PLAYBACK_TTL_S (playback). Views are shared: never mutated.
   */
  private async viewOf(job: JobRecord): Promise<JobViewDto> {
    const now = Date.now();
    const kept = this.views.get(job);
    if (kept && kept.until > now) return kept.view;
    const until = this.outputUrls ? Math.min(this.outputUrls.reusableUntil(now), this.playback.reusableUntil(now)) : 0;
    const view = await this.render(job);
    if (until > Date.now()) this.views.set(job, { view: immutableJsonBody(view), until });
    return view;
  }

  private async render(job: JobRecord): Promise<JobViewDto> {
    const urls = await Promise.all(
      outputsOf(job).map((o) =>
        this.outputUrls
          ? this.outputUrls.get(o.object.bucket, o.object.key)
          : this.storage.presignClientGet(o.object.bucket, o.object.key, this.config.presignExpirySeconds),
      ),
    );
    return toJobView(job, urls, this.playback.grantFor(job));
  }
}
