# Secrets of a local stack: sourced by scripts/services.sh (npm run up) and scripts/compose-env.sh.
# Generated once per stack directory (TF_STACK_DIR, default .stack/) into secrets.env (mode 600) and
# reused by every later start, so the admin key a developer copied keeps working. Nothing here has a
# default: each value is 32 random bytes. Deployments set their own (docs: README, docker-compose.yml).
# shellcheck shell=bash

# 32 random bytes, base64url without padding: 43 characters (the gateway's own key format after tfk_).
random_secret() {
  head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '='
}

# The names a local stack generates, in secrets.env order.
LOCAL_SECRET_NAMES=(TF_BOOTSTRAP_API_KEY TF_PLAYBACK_SECRET TF_WEBHOOK_SECRET)

# ensure_secrets_file FILE NAME...: adds a random value for each NAME the file lacks (the file is made
# mode 600; existing values are never changed: a Postgres volume or a copied key depends on them).
ensure_secrets_file() {
  local file=$1 name value tmp
  shift
  mkdir -p "$(dirname "$file")"
  tmp=$(mktemp "$file.XXXXXX") # mode 600 from the start
  [ -f "$file" ] && cat "$file" >"$tmp"
  for name in "$@"; do
    grep -q "^$name=" "$tmp" && continue
    value=$(random_secret)
    [ "$name" = TF_BOOTSTRAP_API_KEY ] && value="tfk_$value"
    echo "$name=$value" >>"$tmp"
  done
  if [ -f "$file" ] && cmp -s "$tmp" "$file"; then rm -f "$tmp"; else mv "$tmp" "$file"; fi
  chmod 600 "$file"
}

# local_secrets_file: where this checkout's local stack keeps its secrets.
local_secrets_file() {
  echo "${TF_STACK_DIR:-$ROOT/.stack}/secrets.env"
}

# load_local_secrets: exports each local secret, generating the file the first time; a variable
# already set in the environment wins (e.g. TF_BOOTSTRAP_API_KEY=... npm run up).
load_local_secrets() {
  local file name value
  file=$(local_secrets_file)
  mkdir -p "$(dirname "$file")"
  # One writer at a time: two `npm run up` started together must not make two different keys.
  (
    flock 8
    ensure_secrets_file "$file" "${LOCAL_SECRET_NAMES[@]}"
  ) 8>"$file.lock"
  while IFS='=' read -r name value; do
    case "$name" in TF_*) [ -n "${!name:-}" ] || export "$name=$value" ;; esac
  done <"$file"
}
