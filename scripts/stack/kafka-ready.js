// Readiness probe used by scripts/stack.sh: exits 0 when the broker answers a metadata request.
// usage: node scripts/stack/kafka-ready.js 127.0.0.1:9092
'use strict';
const path = require('path');
const { Kafka, logLevel } = require(path.join(__dirname, '..', '..', 'node_modules', 'kafkajs'));

const broker = process.argv[2] || '127.0.0.1:9092';
const kafka = new Kafka({
  clientId: 'tf-stack-ready',
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  connectionTimeout: 2000,
  requestTimeout: 5000,
  retry: { retries: 0 },
});
const admin = kafka.admin();
(async () => {
  await admin.connect();
  await admin.listTopics();
  const cluster = await admin.describeCluster();
  if (!cluster.brokers.length || cluster.controller == null) throw new Error('no controller yet');
  await admin.disconnect();
})().then(
  () => process.exit(0),
  (err) => {
    console.error(String(err && err.message ? err.message : err));
    process.exit(1);
  },
);
