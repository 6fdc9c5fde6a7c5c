# Sourced by scripts/stack.sh: Apache Kafka, one KRaft node (broker + controller), run from the jars
# scripts/stack/kafka/pom.xml resolves for the version in scripts/stack/versions.env.
# shellcheck shell=bash

KAFKA_PORT="$TF_STACK_KAFKA_PORT"
KAFKA_CONTROLLER_PORT="$TF_STACK_KAFKA_CONTROLLER_PORT"

kafka_port() { echo "$KAFKA_PORT"; }
kafka_timeout() { echo 120; }
kafka_marker() { echo tf.stack=kafka; }
kafka_health() {
  port_open "$KAFKA_PORT" || return 1
  if [ -f "$ROOT/node_modules/kafkajs/package.json" ]; then
    timeout 20 node "$HERE/kafka-ready.js" "127.0.0.1:$KAFKA_PORT" >/dev/null 2>&1
  else
    timeout 30 java -cp "$STACK/kafka/libs/*" -Dlog4j2.configurationFile="$HERE/kafka/log4j2.properties" \
      org.apache.kafka.tools.BrokerApiVersionsCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" >/dev/null 2>&1
  fi
}

# Kafka jars from Maven Central, copied again only when the pom or the version changes.
kafka_install() {
  local pom="$HERE/kafka/pom.xml" want
  want="$( (cat "$pom"; echo "kafka.version=$TF_STACK_KAFKA_VERSION") | sha256sum | cut -c1-64)"
  if [ -f "$STACK/kafka/libs/.pom.sha256" ] && [ "$(cat "$STACK/kafka/libs/.pom.sha256")" = "$want" ]; then
    return 0
  fi
  if our_pid kafka >/dev/null; then # never swap the jars under a running broker
    log "kafka: the jars are out of date; they are copied when Kafka next starts (stack.sh stop kafka, start kafka)"
    return 0
  fi
  log "kafka: copying the $TF_STACK_KAFKA_VERSION jars from Maven (mvn dependency:copy-dependencies)"
  local t0
  t0="$(now)"
  rm -rf "$STACK/kafka/libs.tmp"
  mvn -B -q -f "$pom" dependency:copy-dependencies -Dkafka.version="$TF_STACK_KAFKA_VERSION" \
    -DoutputDirectory="$STACK/kafka/libs.tmp" \
    >"$LOGS/install-kafka.log" 2>&1 || die "mvn for Kafka failed; see $LOGS/install-kafka.log"
  rm -rf "$STACK/kafka/libs"
  mv "$STACK/kafka/libs.tmp" "$STACK/kafka/libs"
  echo "$want" >"$STACK/kafka/libs/.pom.sha256"
  log "kafka: jars in place ($(($(now) - t0))s)"
}

kafka_config() {
  mkdir -p "$STACK/kafka" "$DATA/kafka"
  cat >"$STACK/kafka/server.properties" <<EOF
# written by scripts/stack/kafka.sh: single node, KRaft combined mode
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA/kafka
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
num.network.threads=2
num.io.threads=4
log.retention.hours=168
EOF
}

kafka_start() {
  kafka_config
  if [ ! -f "$DATA/kafka/meta.properties" ]; then
    local cid
    # base64url of 16 random bytes, like Kafka's Uuid.randomUuid(), which also never starts with
    # "-" (the argument parser would take it for an option)
    cid="$(python3 -c 'import uuid,base64
while True:
    s = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
    if not s.startswith("-"): break
print(s)')"
    log "kafka: formatting storage (cluster id $cid)"
    java -cp "$STACK/kafka/libs/*" -Dlog4j2.configurationFile="$HERE/kafka/log4j2.properties" \
      kafka.tools.StorageTool format -t "$cid" -c "$STACK/kafka/server.properties" \
      >>"$(logfile kafka)" 2>&1 || die "kafka storage format failed; see $(logfile kafka)"
  fi
  log "kafka: starting on 127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)"
  start_bg kafka "$STACK/kafka" java -Dtf.stack=kafka -Xms256m -Xmx768m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$HERE/kafka/log4j2.properties" -Dkafka.logs.dir="$LOGS" \
    -cp "$STACK/kafka/libs/*" kafka.Kafka "$STACK/kafka/server.properties"
}
