import type { Schemas } from '../../api';

type JobStatus = Schemas['JobSummaryDto']['status'];
export const JOB_STATUSES: JobStatus[] = ['queued', 'processing', 'completed', 'failed', 'cancelled'];

/** The list's filters as the URL holds them (/jobs?status=failed&label=demo&from=2026-12-01&to=2026-12-05). */
export interface JobFilters {
  status: JobStatus | '';
  label: string;
  /** yyyy-mm-dd, local days, both inclusive. */
  from: string;
  to: string;
}

export function filtersFrom(params: URLSearchParams): JobFilters {
  const status = params.get('status') ?? '';
  return {
    status: (JOB_STATUSES as string[]).includes(status) ? (status as JobStatus) : '',
    label: params.get('label') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
}

export function paramsOf(filters: JobFilters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== '')) as Record<string, string>;
}

/** Local midnight of a yyyy-mm-dd day, plus `days`, as the API's ISO timestamp. */
const dayStart = (day: string, days = 0): string | undefined => {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  return new Date(y, m - 1, d + days).toISOString();
};

/** GET /api/v1/jobs's query for the filters: `to` is inclusive, so created_before is the next day's start. */
export function listQuery(filters: JobFilters, limit: number, cursor?: string) {
  return {
    limit,
    ...(cursor ? { cursor } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.label.trim()
      ? {
          label: filters.label
            .split(',')
            .map((l) => l.trim())
            .filter(Boolean),
        }
      : {}),
    ...(filters.from ? { created_after: dayStart(filters.from) } : {}),
    ...(filters.to ? { created_before: dayStart(filters.to, 1) } : {}),
  };
}
