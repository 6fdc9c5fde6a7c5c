import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderJobErrorDocs } from './job-error-docs';
import { JOB_ERROR_CODES, JOB_ERROR_CODE_LIST } from './job-error-codes';

describe('the job error code list', () => {
  it('docs/errors.md is the rendering of JOB_ERROR_CODES (run `npm run gen:error-docs` after changing the list)', () => {
    expect(readFileSync(join(__dirname, '../../../docs/errors.md'), 'utf8')).toBe(renderJobErrorDocs());
  });

  it('documents every code, each UPPER_SNAKE with a short public message; transient codes are retryable', () => {
    const docs = renderJobErrorDocs();
    for (const code of JOB_ERROR_CODE_LIST) {
      const info = JOB_ERROR_CODES[code];
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(docs).toContain(`| \`${code}\` |`);
      expect(info.message.length).toBeLessThanOrEqual(120);
      expect(info.message).toMatch(/^[A-Z].*\.$/);
      if (info.transient) expect(info.retryable).toBe(true);
    }
  });
});
