// Event hops (issue 12 §2): the time from an event's occurred_at (its producer's commit) to the start of its
// handler, per consumer group: tf_event_hop_seconds, which every service's transport records for first attempts
// (outbox relay woken by NOTIFY, Kafka, the consumer's fetch, the wait for a free slot). Short jobs are sent one at
// a time through the running services; the histograms of every service are read before and after, and the p50/p95
// of the difference are interpolated within the buckets as Prometheus's histogram_quantile does.
// Baseline, in the same run: a bare kafkajs producer and consumer on a throw-away topic of the same broker, with the
// transport's fetch wait (TF_KAFKA_MAX_WAIT_MS), timed exactly (send -> eachMessage).
//
//   node -r @swc-node/register bench/event-hops.bench.ts [--jobs 8] [--seconds 6] [--transcription false] [--write-readme]
//
// `--transcription false --seconds 2` measures the pipeline on a quiet machine (short encodes, no Whisper:
// the cores mostly idle between events), written to its own section ("## Event hops, quiet machine");
// the default profile measures it while the jobs' own encodes and Whisper hold both cores.
//
// Hold /tmp/tf-stack.lock: it runs `bash scripts/services.sh up` (a no-op when the services answer).
// --write-readme replaces the "## Event hops" section of bench/README.md.
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { TranscodeFlowClient } from '@tf/client';
import { createKafka } from '@tf/messaging';
import { makeSource } from './lib/hand-written-ffmpeg';
import { localApiKey, servicesReady } from './lib/local-services';
import { cliOptions, coreCount, loadAverages, median, runBench } from './lib/measure';
import { writeReadmeSection } from './lib/readme-section';

const cli = cliOptions();
const JOBS = Number(cli.option('jobs', '8'));
/** Jobs run before the measured ones: a service's first events pay for connections, metadata and schema lookups. */
const WARMUP_JOBS = Number(cli.option('warmup', '1'));
const SOURCE_S = Number(cli.option('seconds', '6'));
const TRANSCRIPTION = cli.option('transcription', 'true') !== 'false';
const HEADING = TRANSCRIPTION ? '## Event hops' : '## Event hops, quiet machine';
const JOB_OPTIONS = { targetResolutions: ['360p'], enableHls: true, enableTranscription: TRANSCRIPTION };
const BASELINE_MESSAGES = Number(cli.option('messages', '200'));
const FETCH_WAIT_MS = Number(process.env.TF_KAFKA_MAX_WAIT_MS ?? 200);
const GOAL_P95_S = 0.05;
/** gateway (the tracker's group), validator, transcoder, hls, transcriber, notifier. */
const SERVICE_PORTS = [10080, 10081, 10082, 10083, 10084, 10085];

/** Cumulative bucket counts per consumer group: le (s; Infinity for +Inf) -> count. */
type Histograms = Map<string, Map<number, number>>;

/** The hop and its consume part (record timestamp -> handler start), each summed over every service by group. */
const HOP = 'tf_event_hop_seconds';
const CONSUME = 'tf_event_consume_delay_seconds';

/** Both histograms from one read of every service's /metrics, each summed over the services by group. */
async function scrapeHops(): Promise<{ hop: Histograms; consume: Histograms }> {
  const found = { hop: new Map(), consume: new Map() } as { hop: Histograms; consume: Histograms };
  for (const port of SERVICE_PORTS) {
    const r = await request(`http://127.0.0.1:${port}/metrics`);
    const text = await r.body.text();
    for (const line of text.split('\n')) {
      const all = line.startsWith(`${HOP}_bucket{`)
        ? found.hop
        : line.startsWith(`${CONSUME}_bucket{`)
          ? found.consume
          : undefined;
      if (!all) continue;
      const group = /group="([^"]*)"/.exec(line)?.[1];
      const le = /le="([^"]*)"/.exec(line)?.[1];
      const count = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (!group || !le) continue;
      const buckets = all.get(group) ?? new Map<number, number>();
      const bound = le === '+Inf' ? Infinity : Number(le);
      buckets.set(bound, (buckets.get(bound) ?? 0) + count);
      all.set(group, buckets);
    }
  }
  return found;
}

function difference(after: Histograms, before: Histograms): Histograms {
  const out: Histograms = new Map();
  for (const [group, buckets] of after) {
    const old = before.get(group);
    out.set(group, new Map([...buckets].map(([le, n]) => [le, n - (old?.get(le) ?? 0)])));
  }
  return out;
}

/** Prometheus's histogram_quantile: linear within the bucket where the rank falls; the last finite bound past it. */
function histogramQuantile(q: number, buckets: ReadonlyMap<number, number>): number {
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total === 0) return NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [le, count] of sorted) {
    if (count >= rank) {
      if (le === Infinity) return lower;
      return lower + (le - lower) * ((rank - below) / Math.max(count - below, 1e-9));
    }
    lower = le;
    below = count;
  }
  return lower;
}

function exactQuantile(q: number, xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

/**
 * Bare kafkajs: one producer, one consumer, messages a little apart (events arrive one by one in a pipeline):
 * BASELINE_MESSAGES of them, or, given `until`, as many as fit until it resolves (the same load as the jobs').
 */
async function bareKafkaHops(until?: Promise<void>): Promise<number[]> {
  const kafka = createKafka(`bench-hops-${process.pid}`);
  const topic = `tf.bench.hops.${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  const producer = kafka.producer();
  const consumer = kafka.consumer({
    groupId: `bench-hops-${randomUUID().slice(0, 8)}`,
    maxWaitTimeInMs: FETCH_WAIT_MS,
  });
  const hops: number[] = [];
  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let joined!: () => void;
    const ready = new Promise<void>((r) => (joined = r));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({
      eachMessage: async ({ message }) => {
        hops.push((Date.now() - Number(message.value?.toString())) / 1000);
      },
    });
    await ready;
    let done = false;
    void until?.then(() => (done = true));
    let sent = 0;
    for (; until ? !done : sent < BASELINE_MESSAGES; sent++) {
      await producer.send({ topic, messages: [{ value: String(Date.now()) }] });
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 60));
    }
    const deadline = Date.now() + 30_000;
    while (hops.length < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
  return hops;
}

const ms = (s: number): string => (Number.isNaN(s) ? '–' : (s * 1000).toFixed(1));

async function main(): Promise<void> {
  await servicesReady(60);
  const loadBefore = loadAverages();
  const source = makeSource({ seconds: SOURCE_S, audio: 'speech' });
  const client = new TranscodeFlowClient({ apiKey: localApiKey() });

  for (let i = 0; i < WARMUP_JOBS; i++) {
    const { job_id } = await client.uploadFile(source, JOB_OPTIONS);
    console.log(`warm-up job ${i + 1}/${WARMUP_JOBS}: ${(await client.waitForJob(job_id)).status}`);
  }
  const baseline = await bareKafkaHops();
  const before = await scrapeHops();
  const jobSeconds: number[] = [];
  let jobsDone!: () => void;
  const underLoad = bareKafkaHops(new Promise<void>((r) => (jobsDone = r)));
  for (let i = 0; i < JOBS; i++) {
    const t0 = Date.now();
    const { job_id } = await client.uploadFile(source, JOB_OPTIONS);
    const job = await client.waitForJob(job_id);
    jobSeconds.push((Date.now() - t0) / 1000);
    console.log(`job ${i + 1}/${JOBS}: ${job.status} in ${jobSeconds.at(-1)?.toFixed(1)} s`);
  }
  jobsDone();
  const loaded = await underLoad;
  // The last events (JobCompleted to the notifier, the tracker's) are handled a moment after the client saw it.
  await new Promise((r) => setTimeout(r, 2_000));
  const after = await scrapeHops();
  const hops = difference(after.hop, before.hop);
  const consume = difference(after.consume, before.consume);
  const loadAfter = loadAverages();

  const bareP50 = exactQuantile(0.5, baseline);
  const bareP95 = exactQuantile(0.95, baseline);
  const loadedP50 = exactQuantile(0.5, loaded);
  const loadedP95 = exactQuantile(0.95, loaded);
  const rows = [...hops]
    .map(([group, buckets]) => ({
      group,
      count: Math.max(0, ...buckets.values()),
      p50: histogramQuantile(0.5, buckets),
      p95: histogramQuantile(0.95, buckets),
      consumeP50: histogramQuantile(0.5, consume.get(group) ?? new Map()),
      consumeP95: histogramQuantile(0.95, consume.get(group) ?? new Map()),
    }))
    .filter((r) => r.count > 0)
    .sort((a, b) => a.group.localeCompare(b.group));
  const all = new Map<number, number>();
  for (const buckets of hops.values()) for (const [le, n] of buckets) all.set(le, (all.get(le) ?? 0) + n);
  const allP95 = histogramQuantile(0.95, all);
  const allConsume = new Map<number, number>();
  for (const buckets of consume.values())
    for (const [le, n] of buckets) allConsume.set(le, (allConsume.get(le) ?? 0) + n);

  const lines = [
    HEADING,
    '',
    `\`node -r @swc-node/register bench/event-hops.bench.ts --jobs ${JOBS} --seconds ${SOURCE_S} --warmup ${WARMUP_JOBS}${TRANSCRIPTION ? '' : ' --transcription false'}\` (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC):`,
    `after ${WARMUP_JOBS} warm-up job(s), not counted, ${JOBS} jobs one after the other (a ${SOURCE_S} s 1080p clip with espeak-ng speech, 360p + HLS${TRANSCRIPTION ? ' + transcription' : ', no transcription'}) through the six`,
    `services of scripts/services.sh; \`tf_event_hop_seconds\` (occurred_at -> handler start, first attempts) read from every`,
    `service's /metrics before and after, p50/p95 interpolated within the buckets (histogram_quantile); its consume part`,
    `(\`tf_event_consume_delay_seconds\`: the Kafka record's timestamp, set by the relay's producer -> handler start: fetch,`,
    `priority gate, slot) the same way; the rest of a hop is the outbox relay's (commit, NOTIFY, claim, produce; the stages' progress readings skip the outbox). Baseline in the same`,
    `run: a bare kafkajs producer -> consumer on a throw-away topic of the same broker, fetch wait ${FETCH_WAIT_MS} ms`,
    `(TF_KAFKA_MAX_WAIT_MS), messages 20-80 ms apart, timed exactly: ${baseline.length} before the jobs (machine idle), and`,
    `the same again all through the jobs (the machine as busy as the services were: their encodes and Whisper run at`,
    `TF_MEDIA_NICE / TF_WHISPER_NICE ${process.env.TF_MEDIA_NICE ?? 10} / ${process.env.TF_WHISPER_NICE ?? 10}). ${coreCount()} cores, load average`,
    `${loadBefore} before, ${loadAfter} after (1/5/15 min); job wall time median ${median(jobSeconds).toFixed(1)} s.`,
    '',
    '| consumer group | hops | p50 (ms) | p95 (ms) | p95 / bare Kafka p95 | consume part p50 / p95 (ms) |',
    '| --- | --- | --- | --- | --- | --- |',
    `| bare kafkajs (baseline), machine idle | ${baseline.length} | ${ms(bareP50)} | ${ms(bareP95)} | 1 | (all of it) |`,
    `| bare kafkajs, during the jobs | ${loaded.length} | ${ms(loadedP50)} | ${ms(loadedP95)} | ${(loadedP95 / bareP95).toFixed(1)} | (all of it) |`,
    ...rows.map(
      (r) =>
        `| ${r.group} | ${r.count} | ${ms(r.p50)} | ${ms(r.p95)} | ${(r.p95 / bareP95).toFixed(1)} | ${ms(r.consumeP50)} / ${ms(r.consumeP95)} |`,
    ),
    `| **all groups** | ${Math.max(0, ...all.values())} | ${ms(histogramQuantile(0.5, all))} | **${ms(allP95)}** | ${(allP95 / bareP95).toFixed(1)} | ${ms(histogramQuantile(0.5, allConsume))} / ${ms(histogramQuantile(0.95, allConsume))} |`,
    '',
    `Goal: p95 <= ${GOAL_P95_S * 1000} ms on a quiet machine: ${allP95 <= GOAL_P95_S ? 'met' : 'not met'} over all groups` +
      ` (${
        rows
          .filter((r) => r.p95 > GOAL_P95_S)
          .map((r) => r.group)
          .join(', ') || 'no group'
      } above it).` +
      ' Bucket bounds (s): 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, ...: a p95 between two bounds is an interpolation.',
  ];
  const section = lines.join('\n');
  console.log(`\n${section}\n`);
  if (cli.flag('write-readme')) writeReadmeSection(section);
}

runBench(main);
