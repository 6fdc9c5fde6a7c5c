import { metricsRegistry } from '@tf/observability';
import { Counter } from 'prom-client';

// Per-tenant usage. The only label is the tenant: tenants are made by an operator (a bounded set),
// unlike key ids or job ids, which would grow a series per key or per job.

const tenantRequests = new Counter({
  name: 'tf_tenant_requests_total',
  help: 'API requests made with a valid key of the tenant (counted once authenticated, rate-limited ones included).',
  labelNames: ['tenant'] as const,
  registers: [metricsRegistry],
});

const tenantUploadedBytes = new Counter({
  name: 'tf_tenant_uploaded_bytes_total',
  help: "Bytes of the tenant's uploaded sources that became jobs (form uploads and completed direct uploads).",
  labelNames: ['tenant'] as const,
  registers: [metricsRegistry],
});

const tenantJobsCreated = new Counter({
  name: 'tf_tenant_jobs_created_total',
  help: 'Jobs the tenant created (form uploads and completed direct uploads; a retry is not a new job).',
  labelNames: ['tenant'] as const,
  registers: [metricsRegistry],
});

/** An authenticated API request of the tenant. */
export function countTenantRequest(tenant: string): void {
  tenantRequests.inc({ tenant });
}

/** A job the tenant created from a source of `sourceBytes`: call it once the job's transaction committed. */
export function countTenantJobCreated(tenant: string, sourceBytes: number): void {
  tenantJobsCreated.inc({ tenant });
  tenantUploadedBytes.inc({ tenant }, sourceBytes);
}
