#!/usr/bin/env bash
# The six Transcode Flow services, run in the background on 127.0.0.1 from source.
#   npm run up      stack up (installing what is missing), then every service; returns once all answer /health
#   npm run down    stops the services, then the stack
#   bash scripts/services.sh status|restart <app>|logs <app>
#   npm run key     the local admin API key (bash scripts/services.sh key)
# Secrets: the admin key (TF_BOOTSTRAP_API_KEY) and the playback and webhook signing secrets are generated
# once per stack into .stack/secrets.env (mode 600; TF_STACK_DIR moves it) and reused by every start;
# a variable set in the environment wins. Nothing has a default.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=lib/ensure-node-deps.sh
source scripts/lib/ensure-node-deps.sh
# shellcheck source=lib/close-inherited-fds.sh
source scripts/lib/close-inherited-fds.sh
# shellcheck source=lib/local-secrets.sh
source scripts/lib/local-secrets.sh

RUN=.stack/run/services
LOGS=.stack/logs
APPS=(validator transcoder hls transcriber notifier gateway)
declare -A PORT=([gateway]=10080 [validator]=10081 [transcoder]=10082 [hls]=10083 [transcriber]=10084 [notifier]=10085)
# Local convenience: hls-streams readable over plain HTTP (deployments keep it off and use signed playback).
export TF_HLS_PUBLIC_READ="${TF_HLS_PUBLIC_READ:-true}"
# Finished spans of every service as JSON lines, for looking at a job's trace without a collector.
export TF_OTEL_SPANS_FILE="${TF_OTEL_SPANS_FILE:-$ROOT/.stack/logs/spans.jsonl}"
# Local receivers listen on 127.0.0.1: let webhooks reach private addresses (deployments keep it false: SSRF).
export TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS="${TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS:-true}"

alive() { local f="$RUN/$1.pid"; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }
healthy() { curl -fsS -m 2 "http://127.0.0.1:${PORT[$1]}/health" >/dev/null 2>&1; }

start_app() {
  local app=$1
  if alive "$app"; then return 0; fi
  if healthy "$app"; then echo "[services] $app already answers on :${PORT[$app]} (not started by this script)"; return 0; fi
  mkdir -p "$RUN" "$LOGS"
  (close_inherited_fds && exec nohup node -r @swc-node/register "apps/$app/src/main.ts" >>"$LOGS/$app.log" 2>&1) &
  echo $! >"$RUN/$app.pid"
}

wait_healthy() {
  local app=$1 deadline=$(( $(date +%s) + ${TF_SERVICE_START_TIMEOUT:-180} ))
  until healthy "$app"; do
    if ! alive "$app" && ! healthy "$app"; then
      echo "[services] $app exited during start-up; see $LOGS/$app.log:" >&2; tail -n 20 "$LOGS/$app.log" >&2; return 1
    fi
    if [ "$(date +%s)" -gt "$deadline" ]; then echo "[services] $app did not answer /health on :${PORT[$app]} in time; see $LOGS/$app.log" >&2; return 1; fi
    sleep 1
  done
  echo "[services] $app ready on http://127.0.0.1:${PORT[$app]}"
}

# The web console (apps/console) the gateway serves on TF_CONSOLE_PORT (18080): built with Vite into
# dist/console unless that build is newer than every source it comes from.
build_console() {
  local out=dist/console/index.html
  if [ -f "$out" ] && [ -z "$(find apps/console libs/client/src/generated package-lock.json -newer "$out" -type f -print -quit)" ]; then
    return 0
  fi
  echo "[services] building the console (npm run build:console)"
  npm run --silent build:console >"$LOGS/console-build.log" 2>&1 || { echo "[services] console build failed; see $LOGS/console-build.log" >&2; tail -n 20 "$LOGS/console-build.log" >&2; return 1; }
}

stop_app() {
  local app=$1 f="$RUN/$1.pid" pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
  echo "[services] $app stopped"
}

cmd=${1:-status}
case "$cmd" in
  up)
    ensure_node_deps
    bash scripts/stack.sh up
    eval "$(bash scripts/stack.sh env)"
    load_local_secrets
    mkdir -p "$LOGS"
    build_console
    for app in "${APPS[@]}"; do start_app "$app"; done
    for app in "${APPS[@]}"; do wait_healthy "$app"; done
    echo "[services] all up. API: http://127.0.0.1:10080, console: http://127.0.0.1:${TF_CONSOLE_PORT:-18080}"
    echo "[services] admin API key (tenant default; npm run key prints it again): $TF_BOOTSTRAP_API_KEY"
    ;;
  down)
    for app in "${APPS[@]}"; do stop_app "$app"; done
    [ "${2:-}" = "--keep-stack" ] || bash scripts/stack.sh down
    ;;
  restart)
    eval "$(bash scripts/stack.sh env)"
    load_local_secrets
    stop_app "$2"; start_app "$2"; wait_healthy "$2"
    ;;
  status)
    for app in "${APPS[@]}"; do
      if healthy "$app"; then echo "$app: healthy (:${PORT[$app]})"; elif alive "$app"; then echo "$app: starting"; else echo "$app: down"; fi
    done
    ;;
  logs) tail -n "${3:-100}" -f "$LOGS/$2.log" ;;
  key) load_local_secrets; echo "$TF_BOOTSTRAP_API_KEY" ;;
  secrets) # NAME=value of each local secret as the services get them (test harnesses read this)
    load_local_secrets
    for name in "${LOCAL_SECRET_NAMES[@]}"; do echo "$name=${!name}"; done
    ;;
  *) echo "usage: $0 up|down [--keep-stack]|status|restart <app>|logs <app>|key|secrets" >&2; exit 2 ;;
esac
