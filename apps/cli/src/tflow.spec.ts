import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VERSION } from './program';

// bin/tflow.js as a user runs it, against a gateway faked at its HTTP boundary (the real gateway: test/api/cli.int-spec.ts).

const BIN = join(__dirname, '../../../bin/tflow.js');
const JOB_ID = '3f2a9c01-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

const job = {
  job_id: JOB_ID,
  status: 'completed',
  error: null,
  labels: [],
  attempt: 1,
  source: { filename: 'clip.mp4', bytes: 4096, content_type: 'video/mp4', media: null },
  timeline: [{ stage: 'transcode', status: 'completed', progress: 100 }],
  skipped: [],
  // Enough outputs that `status` writes more than a pipe takes before its reader is gone.
  outputs: Array.from({ length: 400 }, (_, i) => ({
    kind: 'thumbnail',
    label: `t${i}`,
    url: `http://s3/${'x'.repeat(200)}`,
    content_type: 'image/jpeg',
    bytes: 1000,
  })),
  created_at: '2026-12-01T00:00:00.000Z',
  completed_at: '2026-12-01T00:01:00.000Z',
};

async function fakeGateway(): Promise<{ url: string; server: Server; uploads: number[] }> {
  const uploads: number[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let bytes = 0;
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      const path = (req.url ?? '').split('?')[0];
      if (path === '/api/v1/jobs/upload') {
        uploads.push(bytes);
        return res.end(JSON.stringify({ job_id: JOB_ID, status: 'queued' }));
      }
      if (path === '/api/v1/jobs')
        return res.end(JSON.stringify({ jobs: [{ ...job, outputs: undefined }], next_cursor: null }));
      if (path === `/api/v1/jobs/${JOB_ID}`) return res.end(JSON.stringify(job));
      res.statusCode = 404;
      res.end(JSON.stringify({ code: 'JOB_NOT_FOUND', message: `No job ${path}` }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, uploads };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function finished(child: ChildProcess): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

// Each run starts node and compiles the sources: seconds on a busy machine.
jest.setTimeout(120_000);

describe('tflow (the binary)', () => {
  let dir: string;
  let gateway: Awaited<ReturnType<typeof fakeGateway>>;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tf-cli-'));
    gateway = await fakeGateway();
    env = { ...process.env, TF_API_URL: gateway.url, TF_API_KEY: 'tfk_test' };
  });
  afterAll(() => {
    gateway.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const tflow = (args: string[]) =>
    finished(spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }));

  /** Runs tflow with stdout on a pipe whose reader is already gone: `tflow … | head` once head has exited. */
  async function intoClosedPipe(args: string[]): Promise<Run> {
    const fifo = join(dir, `pipe-${args[0]}`);
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY);
    closeSync(reader);
    try {
      return await finished(spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', writer, 'pipe'] }));
    } finally {
      closeSync(writer);
    }
  }

  it('--version prints the version', async () => {
    const run = await tflow(['--version']);
    expect(run).toEqual({ code: 0, stdout: `tflow ${VERSION}\n`, stderr: '' });
  });

  it('stops quietly (exit 0, nothing on stderr) when the reader of its output is gone', async () => {
    expect(await intoClosedPipe(['status', JOB_ID])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('status takes the short id the progress bar shows', async () => {
    const run = await tflow(['status', JOB_ID.slice(0, 8)]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(new RegExp(`^job\\s+${JOB_ID}$`, 'm'));
    expect(run.stdout).toContain('400 output(s)');
    expect(run.stdout).not.toContain('http://s3/');
    const unknown = await tflow(['status', 'ffffffff']);
    expect([unknown.code, unknown.stderr]).toEqual([
      4,
      'tflow: JOB_NOT_FOUND: no job among your jobs has an id starting with ffffffff\n',
    ]);
  });

  it('submit shows the upload percentage on stderr', async () => {
    const clip = join(dir, 'clip.mp4');
    writeFileSync(clip, Buffer.alloc(2 * 1024 * 1024, 1));
    const run = await tflow(['submit', clip, '--no-wait']);
    expect([run.code, run.stdout]).toEqual([0, `${JOB_ID}\n`]);
    const steps = run.stderr.split('\n').filter((l) => l.startsWith('uploading clip.mp4:'));
    expect(steps.map((l) => /^uploading clip\.mp4: (\d+)% \([\d.]+ [KM]iB of 2\.0 MiB\)$/.exec(l)?.[1])).toEqual([
      '25',
      '50',
      '75',
      '100',
    ]);
    expect(steps[3]).toBe('uploading clip.mp4: 100% (2.0 MiB of 2.0 MiB)');
    expect(gateway.uploads).toHaveLength(1);
  });
});
