# Sourced by scripts/stack.sh: the commands, written once for every server. A server is a script
# scripts/stack/<server>.sh defining <server>_port, _timeout (seconds), _marker (a word of its command
# line), _health (0 when it really answers) and _start; optionally _install (cached, idempotent), _stop,
# _wait (readiness with a fallback), _failed (gives up waiting early), _apt_packages (prints the Debian
# packages it needs that are missing; `up` installs them with the others) and _refresh (`up` finding it
# running: take the repo's config again).
# shellcheck shell=bash

has_fn() { declare -F "$1" >/dev/null; }

# Start a server unless it already answers. Returns 0 if started, 1 if it was already healthy.
maybe_start() {
  local name="$1" pid port
  port="$("${name}_port")"
  if "${name}_health"; then
    if pid="$(our_pid "$name")"; then
      log "$name: already running (pid $pid)"
      if has_fn "${name}_refresh"; then "${name}_refresh"; fi
    else log "$name: already answering on port $port (not started by this checkout), left alone"; fi
    return 1
  fi
  if pid="$(our_pid "$name")"; then
    log "$name: pid $pid runs but does not answer yet; waiting for it"
    return 0
  fi
  if port_open "$port"; then
    die "$name: port 127.0.0.1:$port is taken by another process that does not answer as $name"
  fi
  "${name}_start"
  return 0
}

# wait_ready <server> [soft]: dies naming the server and its log, or with "soft" returns 1.
wait_ready() {
  local name="$1" soft="${2:-}" t0 limit logf msg=""
  t0="$(now)"
  limit=$(("$("${name}_timeout")" * SCALE))
  logf="$(logfile "$name")"
  while ! "${name}_health"; do
    if ! our_pid "$name" >/dev/null && [ "$name" != postgres ]; then
      msg="$name exited during startup; see $logf"
      break
    fi
    if [ $(($(now) - t0)) -ge "$limit" ]; then
      msg="$name did not become ready within ${limit}s; see $logf"
      break
    fi
    if has_fn "${name}_failed" && "${name}_failed"; then
      msg="$name cannot use its database; see $logf"
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

wait_server() { if has_fn "$1_wait"; then "$1_wait"; else wait_ready "$1"; fi; }

stop_server() {
  local name="$1" pid
  if has_fn "${name}_stop"; then
    "${name}_stop"
  elif pid="$(our_pid "$name")"; then
    log "$name: stopping (pid $pid)"
    stop_pid "$name" "$pid"
  else
    rm -f "$(pidfile "$name")"
    return 1
  fi
}

cmd_tools() {
  ensure_check_tools
}

cmd_up() {
  local t0 s installs=() started=()
  t0="$(now)"
  mkdir -p "$DATA" "$RUN" "$LOGS" "$BIN"
  chmod 755 "$STACK" "$DATA" "$RUN" 2>/dev/null || true
  ensure_system_packages
  for s in "${SERVERS[@]}"; do has_fn "${s}_install" && installs+=("${s}_install"); done
  run_installs "${installs[@]}"

  maybe_start postgres || true
  # Roles/databases: only in a cluster of our own (another checkout's is left alone).
  if our_pid postgres >/dev/null; then postgres_bootstrap; fi
  wait_ready postgres
  for s in "${SERVERS[@]}"; do
    [ "$s" = postgres ] && continue
    if maybe_start "$s"; then started+=("$s"); fi
  done
  for s in "${started[@]}"; do wait_server "$s"; done
  s3_ensure_buckets
  ensure_venv
  log "up: all servers ready in $(($(now) - t0))s (logs in $LOGS)"
  cmd_status >&2 || true
}

cmd_down() {
  local i
  for ((i = ${#SERVERS[@]} - 1; i >= 0; i--)); do stop_server "${SERVERS[$i]}" || true; done
}

# One server at a time, for tests that take a server away and bring it back (outages, fault injection).
known_server() {
  local s
  for s in "${SERVERS[@]}"; do [ "$s" = "${1:-}" ] && return 0; done
  die "unknown server '${1:-}' (one of: ${SERVERS[*]})"
}

cmd_stop_server() {
  local name="${1:-}"
  known_server "$name"
  stop_server "$name" || die "$name: not running from this stack ($STACK), left alone"
  log "$name: stopped"
}

cmd_start_server() {
  local name="${1:-}"
  known_server "$name"
  mkdir -p "$DATA" "$RUN" "$LOGS"
  if has_fn "${name}_install"; then "${name}_install"; fi
  maybe_start "$name" || return 0
  wait_server "$name"
}

cmd_status() {
  local s pid state rc=0
  printf '%-12s %-16s %-8s %-8s %s\n' SERVER ADDRESS HEALTH PID LOG
  for s in "${SERVERS[@]}"; do
    if "${s}_health"; then state=ok; else state=DOWN; rc=1; fi
    pid="$(our_pid "$s" || echo -)"
    printf '%-12s %-16s %-8s %-8s %s\n' "$s" "127.0.0.1:$("${s}_port")" "$state" "$pid" "$(logfile "$s")"
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
export TF_PROMETHEUS_URL=http://127.0.0.1:$PROMETHEUS_PORT
export TF_ALERTMANAGER_URL=http://127.0.0.1:$ALERTMANAGER_PORT
EOF
}

cmd_verify() {
  [ -d "$ROOT/node_modules" ] || die "verify needs node_modules (npm ci)"
  KAFKAJS_NO_PARTITIONER_WARNING=1 node "$HERE/verify.js" "$@"
}

cmd_logs() {
  local s="${1:-}"
  if [ -n "$s" ]; then tail -n 100 "$(logfile "$s")"; else ls -l "$LOGS"; fi
}
