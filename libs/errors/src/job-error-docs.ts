import { JOB_ERROR_CODES, JOB_ERROR_CODE_LIST, JobErrorCategory } from './job-error-codes';

const CATEGORY_TITLES: Record<JobErrorCategory, string> = {
  media: 'The upload is not usable media',
  request: 'The job asked for something the platform does not offer',
  source: 'The source object in storage',
  processing: 'A processing step failed',
  infrastructure: "The platform's infrastructure was unavailable (transient)",
  internal: 'Internal errors',
};

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** docs/errors.md, rendered from JOB_ERROR_CODES (`npm run gen:error-docs`; a unit test keeps the file equal). */
export function renderJobErrorDocs(): string {
  const lines = [
    '# Job error codes',
    '',
    '<!-- Generated from libs/errors/src/job-error-codes.ts by `npm run gen:error-docs`; do not edit by hand. -->',
    '',
    'A failed job carries `error: {code, message}` (REST `GET /api/v1/jobs/{id}`, GraphQL `Job.error`, the',
    '`job.failed` webhook, the `JobFailed` event). `code` is always one of the codes below (the OpenAPI document',
    'lists them as the enum of `JobError.code`); `message` is public text: it never contains URLs, file paths,',
    'hosts, ports, memory addresses or raw system error numbers (`ECONNREFUSED`), which only the service logs',
    "keep, redacted the same way, under the job's `job_id` and `trace_id`.",
    '',
    '- **retryable**: a retry of the job (`POST /api/v1/jobs/{id}/retry`) may succeed without a new upload.',
    "- **transient**: an outage of the platform's own infrastructure; stages retry these durably before they",
    '  fail the job, so a job ends with one of them only after the outage outlasted every retry.',
    '- **message**: the public message used when nothing more specific can be said safely (validation',
    '  verdicts say more, e.g. the duration found and the limit).',
    '',
    'API request errors (4xx/5xx answers of the gateway, e.g. `JOB_NOT_FOUND`) are listed per route in the',
    'OpenAPI document (`/api/docs`).',
  ];
  for (const category of Object.keys(CATEGORY_TITLES) as JobErrorCategory[]) {
    const codes = JOB_ERROR_CODE_LIST.filter((c) => JOB_ERROR_CODES[c].category === category);
    if (!codes.length) continue;
    lines.push(
      '',
      `## ${CATEGORY_TITLES[category]}`,
      '',
      '| code | retryable | transient | message | meaning |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const code of codes) {
      const info = JOB_ERROR_CODES[code];
      lines.push(
        `| \`${code}\` | ${info.retryable ? 'yes' : 'no'} | ${info.transient ? 'yes' : 'no'} | ${cell(info.message)} | ${cell(info.meaning)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
