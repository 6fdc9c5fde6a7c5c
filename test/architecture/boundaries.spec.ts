import { execFile } from 'node:child_process';
import { join } from 'node:path';

// The import boundaries (eslint/boundaries.mjs, wired in eslint.config.mjs) as `npm run lint` applies
// them: each case is linted as if it were a file at that path.

const root = join(__dirname, '..', '..');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/** Lints each case as if it were a file at that path, in one ESLint process (its config is ESM). */
function lintAll(cases: Array<[filePath: string, code: string]>): Promise<LintMessage[][]> {
  const script = `
    const { ESLint } = require('eslint');
    const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    const eslint = new ESLint({ cwd: process.cwd() });
    Promise.all(cases.map(([filePath, code]) => eslint.lintText(code, { filePath })))
      .then((results) => process.stdout.write(JSON.stringify(results.map(([r]) => r.messages.map(({ ruleId, message }) => ({ ruleId, message }))))));
  `;
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', script], { cwd: root, maxBuffer: 16 << 20 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout) as LintMessage[][]),
    );
    child.stdin!.end(JSON.stringify(cases));
  });
}

const rulesOf = (messages: LintMessage[]) => messages.map((m) => m.ruleId);
const probe = (lines: string[]) => `${lines.join('\n')}\n`;

let results: LintMessage[][];
beforeAll(async () => {
  results = await lintAll([
    [
      'apps/validator/src/probe.ts',
      probe(["import { newJobRecord } from '../../gateway/src/jobs/job-record';", 'export const x = newJobRecord;']),
    ],
    [
      'libs/media/src/probe.ts',
      probe([
        "import { GatewayModule } from '../../../apps/gateway/src/gateway.module';",
        'export const x = GatewayModule;',
      ]),
    ],
    [
      'apps/gateway/src/graphql/probe.ts',
      probe(["import { planParts } from '../uploads/direct/upload-plan';", 'export const x = planParts;']),
    ],
    [
      'apps/gateway/src/graphql/probe.ts',
      probe(["import { JobQueryService } from '../jobs/job-query.service';", 'export const x = JobQueryService;']),
    ],
    [
      'apps/gateway/src/graphql/probe.ts',
      probe(["import { JobQueryService } from '../jobs';", 'export const x = JobQueryService;']),
    ],
    [
      'apps/gateway/src/graphql/probe.ts',
      probe(["import { PlaybackModule } from '../playback/playback.module';", 'export const x = PlaybackModule;']),
    ],
    [
      'apps/gateway/src/limits/quota/probe.ts',
      probe(["import type { IncomingMessage } from 'node:http';", 'export type X = IncomingMessage;']),
    ],
    [
      'apps/gateway/src/http/probe.ts',
      probe(["import type { IncomingMessage } from 'node:http';", 'export type X = IncomingMessage;']),
    ],
  ]);
}, 120_000);

describe('import boundaries', () => {
  it('refuses an app importing another app, and a lib importing an app', () => {
    const [app, lib] = results;
    expect(app).toEqual([
      expect.objectContaining({
        ruleId: 'tf/boundaries',
        message: expect.stringContaining('apps/validator imports apps/gateway'),
      }),
    ]);
    expect(lib).toEqual([
      expect.objectContaining({
        ruleId: 'tf/boundaries',
        message: expect.stringContaining('libs/media imports apps/gateway'),
      }),
    ]);
  });

  it('lets a gateway feature import another only through its public surface (index.ts, what it re-exports, *.module.ts, dto/)', () => {
    const [, , internal, publicFile, index, module] = results;
    expect(internal).toEqual([
      expect.objectContaining({
        ruleId: 'tf/boundaries',
        message: expect.stringContaining('gateway/uploads/direct/index.ts does not make public'),
      }),
    ]);
    expect([publicFile, index, module]).toEqual([[], [], []]);
  });

  it('keeps HTTP out of the domain folders (limits, jobs, tracker, control)', () => {
    const [quota, edge] = results.slice(6);
    expect(rulesOf(quota)).toEqual(['no-restricted-imports']);
    expect(edge).toEqual([]);
  });
});
