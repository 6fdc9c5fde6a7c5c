# Sourced by scripts/stack.sh: S3 (versitygw, posix backend, built with go install) and the buckets.
# shellcheck shell=bash

S3_PORT="$TF_STACK_S3_PORT"
S3_ACCESS_KEY=tfaccess
S3_SECRET_KEY=tfsecret123
S3_BUCKETS=(raw-videos processed-videos hls-streams)

s3_port() { echo "$S3_PORT"; }
s3_timeout() { echo 30; }
s3_marker() { echo versitygw; }
s3_curl() { # method path [curl args...]
  local method="$1" path="$2"
  shift 2
  curl -sS -o /dev/null -w '%{http_code}' --max-time 5 -X "$method" \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$@" "http://127.0.0.1:$S3_PORT$path" 2>/dev/null || true
}
s3_health() { [ "$(s3_curl GET /)" = 200 ]; }

s3_install() {
  if [ -x "$BIN/versitygw" ] && [ "$(cat "$BIN/.versitygw.version" 2>/dev/null)" = "$TF_STACK_VERSITYGW_VERSION" ]; then
    return 0
  fi
  log "s3: go install github.com/versity/versitygw/cmd/versitygw@$TF_STACK_VERSITYGW_VERSION"
  local t0
  t0="$(now)"
  mkdir -p "$BIN"
  GOBIN="$BIN" go install "github.com/versity/versitygw/cmd/versitygw@$TF_STACK_VERSITYGW_VERSION" \
    >"$LOGS/install-s3.log" 2>&1 || die "go install versitygw failed; see $LOGS/install-s3.log"
  echo "$TF_STACK_VERSITYGW_VERSION" >"$BIN/.versitygw.version"
  log "s3: versitygw $TF_STACK_VERSITYGW_VERSION built ($(($(now) - t0))s)"
}

s3_start() {
  # versitygw compares paths as strings: a sidecar dir whose name merely starts with the root's
  # (".../s3meta" next to ".../s3") is refused as "inside the gateway root", hence buckets/ + meta/.
  mkdir -p "$DATA/s3/buckets" "$DATA/s3/meta"
  log "s3: starting versitygw on 127.0.0.1:$S3_PORT"
  start_bg s3 "$STACK" env ROOT_ACCESS_KEY="$S3_ACCESS_KEY" ROOT_SECRET_KEY="$S3_SECRET_KEY" \
    "$BIN/versitygw" --port "127.0.0.1:$S3_PORT" --region us-east-1 --quiet \
    posix --sidecar "$DATA/s3/meta" "$DATA/s3/buckets"
}

# The services' buckets (after `up`, once S3 answers).
s3_ensure_buckets() {
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
