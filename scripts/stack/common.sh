# Sourced by scripts/stack.sh: paths, versions and ports, logging, process bookkeeping and installs
# shared by the server scripts (scripts/stack/<server>.sh).
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/scripts/stack"
# shellcheck source=../lib/close-inherited-fds.sh
source "$ROOT/scripts/lib/close-inherited-fds.sh"
STACK="${TF_STACK_DIR:-$ROOT/.stack}"
# shellcheck disable=SC2034 # read by the server scripts
DATA="$STACK/data"
RUN="$STACK/run"
LOGS="$STACK/logs"
# shellcheck disable=SC2034 # read by the server scripts
BIN="$STACK/bin"

# Versions and ports: scripts/stack/versions.env; a variable set in the environment wins.
load_versions() {
  local name value
  while IFS='=' read -r name value; do
    [[ "$name" =~ ^TF_STACK_[A-Z0-9_]+$ ]] || continue
    [ -n "${!name:-}" ] || printf -v "$name" '%s' "$value"
  done <"$HERE/versions.env"
}
load_versions

# Seconds to wait for each server (multiply with TF_STACK_TIMEOUT_SCALE on slow machines).
# shellcheck disable=SC2034 # read by lifecycle.sh and postgres.sh
SCALE="${TF_STACK_TIMEOUT_SCALE:-1}"

log() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s; }
have() { command -v "$1" >/dev/null 2>&1; }
sha() { cat "$@" | sha256sum | cut -c1-64; }
is_root() { [ "$(id -u)" = 0 ]; }
as_root() { if is_root; then "$@"; elif have sudo; then sudo "$@"; else die "need root for: $*"; fi; }

# Does $1 answer 200?
http_ok() { [ "$(curl -sS -o /dev/null -w '%{http_code}' --max-time 3 "$1" 2>/dev/null || true)" = 200 ]; }

# warn_version_drift <server> <installed> <wanted>: the Debian package may lag behind versions.env (and compose).
warn_version_drift() {
  [ -z "$2" ] || [ "$2" = "$3" ] ||
    log "WARNING: $1 is $2; scripts/stack/versions.env (and docker-compose.yml) say $3"
}

# render_config <src> <dst>: a config file of the repo (deploy/) as this stack runs it. The files name the
# ports of versions.env as they stand, so that promtool and amtool check them; a port overridden in the
# environment (a second stack beside a running one) is rewritten in the copy.
render_config() {
  local name default edits=(-e '')
  while IFS='=' read -r name default; do
    [[ "$name" =~ ^TF_STACK_[A-Z0-9_]+_PORT$ ]] || continue
    [ "${!name}" = "$default" ] || edits+=(-e "s/127\.0\.0\.1:$default\b/127.0.0.1:${!name}/g")
  done <"$HERE/versions.env"
  sed "${edits[@]}" "$1" >"$2"
}

# Is something accepting TCP connections on 127.0.0.1:$1 ?
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---- process bookkeeping ----------------------------------------------------------------
pidfile() { echo "$RUN/$1.pid"; }
logfile() { echo "$LOGS/$1.log"; }
our_pid() { # prints the pid when the server was started by this checkout and still runs
  local f pid
  f="$(pidfile "$1")"
  [ -f "$f" ] || return 1
  pid="$(head -n1 "$f" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # a word of the server's command line (<server>_marker), so a recycled pid is never touched
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$("$1_marker")" || return 1
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
  # shellcheck disable=SC2016 # $$ and $0 belong to the inner bash
  (cd "$cwd" && close_inherited_fds && exec setsid bash -c 'echo $$ >"$0"; exec "$@"' "$(pidfile "$name")" "$@" \
    </dev/null >>"$logf" 2>&1) &
  disown || true
  local _
  for _ in $(seq 1 50); do [ -s "$(pidfile "$name")" ] && break; sleep 0.1; done
}

stop_pid() { # name pid
  local name="$1" pid="$2" _
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) did not stop in 30s, killing"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$(pidfile "$name")"
}

# ---- installs -----------------------------------------------------------------------------
APT_UPDATED=0
apt_install() {
  [ "$#" -gt 0 ] || return 0
  have apt-get || die "missing $*, and no apt-get to install them"
  mkdir -p "$LOGS"
  log "apt-get install $*"
  if [ "$APT_UPDATED" = 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$LOGS/apt.log" 2>&1 || true
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    >>"$LOGS/apt.log" 2>&1 || die "apt-get install $* failed; see $LOGS/apt.log"
  stop_packaged_services "$@"
}

# Where systemd runs, the Debian prometheus and prometheus-alertmanager packages start services of their own, on
# :9090 and on :9093 (Kafka's controller port here) with a cluster port 9094; the stack runs its own instances,
# so the ones its install just brought are stopped and disabled.
stop_packaged_services() {
  [ -d /run/systemd/system ] || return 0
  local pkg
  for pkg in "$@"; do
    case "$pkg" in prometheus | prometheus-alertmanager) ;; *) continue ;; esac
    log "stopping and disabling the Debian $pkg service (the stack runs its own)"
    as_root systemctl disable --now "$pkg" >>"$LOGS/apt.log" 2>&1 || true
  done
}

# Run a few independent installs in parallel; fail naming the first that failed.
run_installs() {
  local pids=() names=() f i rc=0
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
