#!/usr/bin/env bash
# Local stack for Transcode Flow: real Kafka (KRaft), Apicurio Registry, versitygw (S3),
# PostgreSQL, Redis, Alertmanager and Prometheus, all on 127.0.0.1, plus the Python venv for Whisper.
#
#   scripts/stack.sh up | down | status | reset | env | tools | verify | logs [server] | stop|start <server>
#   (npm run stack -- up ...)
#
# One script per server in scripts/stack/<server>.sh, the commands written once for all of them in
# scripts/stack/lifecycle.sh, versions and ports in scripts/stack/versions.env (docker-compose.yml's too).
# Everything it installs is cached under .stack/ (gitignored) or in the tools' own caches
# (~/.m2, the Go build/module cache, pip's cache), so a second `up` takes seconds.
# Ports and variables: docs/architecture.md. Details, versions, timings: docs/stack.md.
set -euo pipefail

STACK_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")/stack" && pwd)"
# shellcheck source=stack/common.sh
source "$STACK_SCRIPTS/common.sh"
# In start order (down stops them in reverse).
SERVERS=(postgres redis s3 kafka registry alertmanager prometheus)
for server in "${SERVERS[@]}"; do
  # shellcheck source=/dev/null
  source "$STACK_SCRIPTS/$server.sh"
done
# shellcheck source=stack/tools.sh
source "$STACK_SCRIPTS/tools.sh"
# shellcheck source=stack/lifecycle.sh
source "$STACK_SCRIPTS/lifecycle.sh"

usage() {
  cat <<EOF
usage: scripts/stack.sh <command>   (npm run stack -- <command>)
  up       install what is missing, start the servers that are not answering, wait until ready
  down     stop the servers this checkout started
  status   health of each server (exit 1 if any is down)
  reset    down, then delete .stack/data (installs stay)
  env      export lines for the TF_* variables
  tools    install what the checks and unit tests run (ffmpeg, shellcheck, promtool, amtool), no server
  verify   end-to-end checks with the project's clients (kafkajs, schema registry, minio)
  logs [server]  tail a server's log (.stack/logs/<server>.log)
  stop <server>   stop one server (${SERVERS[*]}) of this stack
  start <server>  start one server again and wait until it answers
EOF
}

# One `up`/`down`/`reset`/`stop`/`start` at a time per checkout (two test runs may start together).
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
