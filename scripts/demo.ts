// npm run demo -- [path/to/video] [--resolutions 360p,720p] [--no-hls] [--no-transcription]
// Brings everything up if needed, submits the file (or a 20 s 1080p clip with speech it makes),
// shows a progress bar fed by Server-Sent Events, prints the job's outputs with their URLs and ends with
// the job's page in the web console (the gateway serves it on TF_CONSOLE_PORT, 18080).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { request } from 'undici';
import { TranscodeFlowClient } from '@tf/client';
import { localStackSecretsPath, readLocalStackSecrets } from '@tf/config';
import { makeSampleClip } from '@tf/testing';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => args.includes(name);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const file = args.find((a, i) => !a.startsWith('--') && !['--resolutions'].includes(args[i - 1] ?? ''));

  if (!(await gatewayHealthy())) execFileSync('bash', ['scripts/services.sh', 'up'], { stdio: 'inherit' });
  // The admin key `npm run up` generated for this stack (.stack/secrets.env), unless one is given.
  const apiKey =
    process.env.TF_API_KEY ??
    process.env.TF_BOOTSTRAP_API_KEY ??
    readLocalStackSecrets(localStackSecretsPath(join(__dirname, '..'))).TF_BOOTSTRAP_API_KEY;
  if (!apiKey)
    throw new Error('no API key: the gateway on :10080 was not started by `npm run up` here; set TF_API_KEY');
  const client = new TranscodeFlowClient({ apiKey });

  let path = file;
  if (!path) {
    path = join(mkdtempSync(join(tmpdir(), 'tf-demo-')), 'demo-1080p-20s.mp4');
    console.log(`No file given: making a 20 s 1080p clip with speech at ${path}`);
    await makeSampleClip(path, { width: 1920, height: 1080, durationS: 20 });
  }

  const started = Date.now();
  const { job_id } = await client.uploadFile(path, {
    targetResolutions: (option('--resolutions') ?? '360p,720p').split(','),
    enableHls: !flag('--no-hls'),
    enableTranscription: !flag('--no-transcription'),
  });
  // The console's origin: browsers refuse the API's port 10080, so the gateway serves it on 18080.
  const consoleJobUrl = `${process.env.TF_CONSOLE_URL ?? `http://127.0.0.1:${process.env.TF_CONSOLE_PORT || 18080}`}/jobs/${job_id}`;
  console.log(`Job ${job_id} queued; watch it live at ${consoleJobUrl}`);

  const bar = new SingleBar(
    { format: ' {stage} |{bar}| {percent}% {status}', hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(100, 0, { stage: 'queued'.padEnd(10), status: '' });
  const job = await client.waitForJob(job_id, ({ data }) => {
    const percent = typeof data.percent === 'number' ? Math.round(data.percent) : undefined;
    bar.update(percent ?? (bar as unknown as { value: number }).value, {
      stage: String(data.stage ?? data.status ?? '').padEnd(10),
      status: String(data.status ?? ''),
    });
  });
  bar.update(100, { stage: job.status.padEnd(10), status: '' });
  bar.stop();

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (job.status !== 'completed') {
    console.error(`Job ${job_id} ${job.status}: ${job.error?.code} ${job.error?.message}`);
    console.error(`See it in the console: ${consoleJobUrl}`);
    process.exit(1);
  }
  console.log(`\nJob ${job_id} completed in ${seconds} s. Outputs:`);
  for (const o of job.outputs)
    console.log(`  ${o.kind.padEnd(10)} ${o.label.padEnd(8)} ${String(o.bytes).padStart(10)} B  ${o.url}`);
  console.log(`\nOpen the job in the console (sign in with the key \`npm run key\` prints):\n  ${consoleJobUrl}`);
}

async function gatewayHealthy(): Promise<boolean> {
  return request('http://127.0.0.1:10080/health').then(
    (r) => r.statusCode === 200,
    () => false,
  );
}

void main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
