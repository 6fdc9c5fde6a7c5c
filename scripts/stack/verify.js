// End-to-end check of the local stack with the clients the services use.
// usage: node scripts/stack/verify.js   (or: npm run stack -- verify)
// Exits non-zero on the first failure. Leaves only small, uniquely named leftovers
// (topic tf-verify-*, subjects tf-verify-*, objects under verify/ in raw-videos).
'use strict';
const path = require('path');
const crypto = require('crypto');
const { Readable } = require('stream');

const nm = (m) => require(path.join(__dirname, '..', '..', 'node_modules', m));
const { Kafka, logLevel } = nm('kafkajs');
const { SchemaRegistry, SchemaType } = nm('@kafkajs/confluent-schema-registry');
const Minio = nm('minio');

const env = (k, d) => process.env[k] || d;
const BROKERS = env('TF_KAFKA_BROKERS', '127.0.0.1:9092').split(',');
const REGISTRY = env('TF_SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8081/apis/ccompat/v7');
const S3 = new URL(env('TF_S3_ENDPOINT', 'http://127.0.0.1:9000'));
const RUN = `${Date.now()}-${crypto.randomBytes(3).toString('hex')}`;

const results = [];
async function step(name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    results.push({ name, ok: true });
    console.log(`ok    ${name} (${Date.now() - t0} ms)${detail ? ` - ${detail}` : ''}`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`FAIL  ${name}: ${err && err.stack ? err.stack : err}`);
    throw err;
  }
}

function withTimeout(p, ms, what) {
  let t;
  return Promise.race([
    p,
    new Promise((_, rej) => {
      t = setTimeout(() => rej(new Error(`timeout after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(t));
}

async function kafkaChecks() {
  const kafka = new Kafka({ clientId: 'tf-verify', brokers: BROKERS, logLevel: logLevel.WARN });
  const admin = kafka.admin();
  const topic = `tf-verify-${RUN}`;
  const groupId = `tf-verify-group-${RUN}`;
  await step('kafka: admin connect + describeCluster', async () => {
    await admin.connect();
    const c = await admin.describeCluster();
    return `brokers=${c.brokers.map((b) => `${b.host}:${b.port}`).join(',')} controller=${c.controller}`;
  });
  await step('kafka: createTopics', async () => {
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: 2, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    if (!created) throw new Error('createTopics returned false');
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    return `${topic} partitions=${md.topics[0].partitions.length}`;
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await step('kafka: produce (idempotent, acks=all)', async () => {
    await producer.connect();
    const r = await producer.send({
      topic,
      acks: -1,
      messages: [{ key: 'job-1', value: 'hello', headers: { traceparent: '00-abc-def-01' } }],
    });
    return `offset=${r[0].baseOffset}`;
  });
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000 });
  await step('kafka: consumer group join + consume + commit', async () => {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const got = await withTimeout(
      new Promise((resolve, reject) => {
        consumer
          .run({
            autoCommit: true,
            eachMessage: async ({ message, partition }) =>
              resolve({ key: message.key.toString(), value: message.value.toString(), partition, h: message.headers }),
          })
          .catch(reject);
      }),
      60000,
      'consume',
    );
    if (got.value !== 'hello' || got.key !== 'job-1') throw new Error(`unexpected message ${JSON.stringify(got)}`);
    if (String(got.h.traceparent) !== '00-abc-def-01') throw new Error('header lost');
    await consumer.stop();
    const desc = await admin.describeGroups([groupId]);
    return `key=${got.key} partition=${got.partition} group state after stop=${desc.groups[0].state}`;
  });
  await step('kafka: committed offsets visible', async () => {
    await consumer.disconnect();
    const offs = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committed = offs[0].partitions.filter((p) => Number(p.offset) > 0);
    if (!committed.length) throw new Error(`no committed offset: ${JSON.stringify(offs)}`);
    return JSON.stringify(committed);
  });
  await step('kafka: transactional producer (exactly-once path)', async () => {
    const tx = kafka.producer({ transactionalId: `tf-verify-tx-${RUN}`, idempotent: true, maxInFlightRequests: 1 });
    await tx.connect();
    const t = await tx.transaction();
    await t.send({ topic, messages: [{ key: 'job-2', value: 'in-tx' }] });
    await t.commit();
    await tx.disconnect();
  });
  await producer.disconnect();
  await step('kafka: deleteTopics', async () => {
    await admin.deleteTopics({ topics: [topic] });
    await admin.deleteGroups([groupId]).catch(() => undefined);
  });
  await admin.disconnect();
}

async function registryChecks() {
  const registry = new SchemaRegistry({ host: REGISTRY });
  const subject = `tf-verify-${RUN}-value`;
  const v1 = {
    type: 'record',
    name: 'VerifyEvent',
    namespace: 'io.transcodeflow.verify',
    fields: [
      { name: 'job_id', type: 'string' },
      { name: 'size', type: 'long' },
    ],
  };
  let id;
  await step('registry: register Avro schema via ccompat', async () => {
    ({ id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1) }, { subject }));
    return `subject=${subject} id=${id}`;
  });
  await step('registry: encode + decode (Confluent wire format)', async () => {
    const payload = { job_id: 'job-1', size: 42 };
    const buf = await registry.encode(id, payload);
    if (buf[0] !== 0 || buf.readInt32BE(1) !== id) throw new Error('not Confluent wire format');
    const fresh = new SchemaRegistry({ host: REGISTRY }); // no cache: fetches /schemas/ids/<id>
    const back = await fresh.decode(buf);
    if (back.job_id !== 'job-1' || Number(back.size) !== 42) throw new Error(`decoded ${JSON.stringify(back)}`);
    return `${buf.length} bytes`;
  });
  await step('registry: PUT /config/<subject> BACKWARD', async () => {
    const res = await fetch(`${REGISTRY}/config/${encodeURIComponent(subject)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ compatibility: 'BACKWARD' }),
    });
    const body = await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status} ${body}`);
    const get = await fetch(`${REGISTRY}/config/${encodeURIComponent(subject)}`);
    return `${body}; GET -> ${get.status} ${await get.text()}`;
  });
  await step('registry: BACKWARD refuses an incompatible change', async () => {
    const bad = { ...v1, fields: [...v1.fields, { name: 'required_new', type: 'string' }] };
    try {
      await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(bad) }, { subject });
    } catch (err) {
      return `refused: ${String(err.message).slice(0, 160)}`;
    }
    throw new Error('incompatible schema was accepted');
  });
  await step('registry: BACKWARD accepts a compatible change (field with default)', async () => {
    const good = { ...v1, fields: [...v1.fields, { name: 'note', type: ['null', 'string'], default: null }] };
    const r = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(good) }, { subject });
    if (r.id === id) throw new Error('expected a new id');
    const versions = await (await fetch(`${REGISTRY}/subjects/${encodeURIComponent(subject)}/versions`)).json();
    return `id=${r.id} versions=${JSON.stringify(versions)}`;
  });
}

async function s3Checks() {
  const opts = {
    endPoint: S3.hostname,
    port: Number(S3.port || 80),
    useSSL: S3.protocol === 'https:',
    accessKey: env('TF_S3_ACCESS_KEY', 'tfaccess'),
    secretKey: env('TF_S3_SECRET_KEY', 'tfsecret123'),
    pathStyle: true,
    region: env('TF_S3_REGION', 'us-east-1'),
  };
  const client = new Minio.Client(opts);
  const bucket = 'raw-videos';
  const key = `verify/${RUN}/small.txt`;
  const bigKey = `verify/${RUN}/big.bin`;
  await step('s3: listBuckets', async () => {
    const names = (await client.listBuckets()).map((b) => b.name);
    for (const b of ['raw-videos', 'processed-videos', 'hls-streams']) {
      if (!names.includes(b)) throw new Error(`bucket ${b} missing: ${names}`);
    }
    return names.join(',');
  });
  await step('s3: putObject (stream)', async () => {
    const r = await client.putObject(
      bucket,
      key,
      Readable.from([Buffer.from('hello '), Buffer.from('s3')]),
      undefined,
      {
        'Content-Type': 'text/plain',
      },
    );
    return `etag=${r.etag}`;
  });
  await step('s3: presignedGetObject + fetch', async () => {
    const url = await client.presignedGetObject(bucket, key, 60);
    const res = await fetch(url);
    const text = await res.text();
    if (res.status !== 200 || text !== 'hello s3') throw new Error(`HTTP ${res.status} ${text.slice(0, 200)}`);
    return `content-type=${res.headers.get('content-type')}`;
  });
  await step('s3: presignedPutObject + fetch PUT', async () => {
    const url = await client.presignedPutObject(bucket, `verify/${RUN}/presigned-put.txt`, 60);
    const res = await fetch(url, { method: 'PUT', body: 'via presigned put' });
    if (res.status !== 200) throw new Error(`HTTP ${res.status} ${await res.text()}`);
    const st = await client.statObject(bucket, `verify/${RUN}/presigned-put.txt`);
    return `size=${st.size}`;
  });
  await step('s3: multipart upload (12 MiB putObject from a stream, 5 MiB parts)', async () => {
    const mp = new Minio.Client({ ...opts, partSize: 5 * 1024 * 1024 });
    const chunk = crypto.randomBytes(1024 * 1024);
    const parts = Array.from({ length: 12 }, () => chunk);
    const hash = crypto.createHash('sha256');
    parts.forEach((p) => hash.update(p));
    const r = await mp.putObject(bucket, bigKey, Readable.from(parts), undefined, {
      'Content-Type': 'application/octet-stream',
    });
    const st = await client.statObject(bucket, bigKey);
    if (st.size !== 12 * 1024 * 1024) throw new Error(`size ${st.size}`);
    const got = crypto.createHash('sha256');
    for await (const c of await client.getObject(bucket, bigKey)) got.update(c);
    if (got.digest('hex') !== hash.digest('hex')) throw new Error('content differs');
    if (!/-3$/.test(r.etag)) throw new Error(`expected a 3-part multipart etag, got ${r.etag}`);
    return `etag=${r.etag}`;
  });
  await step('s3: ranged get + remove', async () => {
    const s = await client.getPartialObject(bucket, key, 6, 2);
    let text = '';
    for await (const c of s) text += c.toString();
    if (text !== 's3') throw new Error(`range gave ${text}`);
    await client.removeObjects(bucket, [key, bigKey, `verify/${RUN}/presigned-put.txt`]);
  });
}

(async () => {
  const only = process.argv.slice(2);
  const want = (n) => !only.length || only.includes(n);
  if (want('kafka')) await kafkaChecks();
  if (want('registry')) await registryChecks();
  if (want('s3')) await s3Checks();
  const failed = results.filter((r) => !r.ok).length;
  console.log(`verify: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch(() => {
  const failed = results.filter((r) => !r.ok).length || 1;
  console.log(`verify: ${results.length - failed} passed, ${failed} failed`);
  process.exit(1);
});
