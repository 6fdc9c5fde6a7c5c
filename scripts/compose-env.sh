#!/usr/bin/env bash
# npm run compose:env [-- path]: writes the secrets docker-compose.yml needs into .env (gitignored,
# mode 600): the admin API key, the playback and webhook signing secrets, the Postgres, S3 and
# Grafana admin passwords, each 32 random bytes. Values already in the file are kept (the Postgres volume was
# initialised with that password; the key may be in use); only missing ones are added. Run it once
# before `docker compose up`: compose refuses to start without them (${VAR:?...}), never falling back
# to a value printed anywhere.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/local-secrets.sh
source "$ROOT/scripts/lib/local-secrets.sh"

COMPOSE_SECRET_NAMES=("${LOCAL_SECRET_NAMES[@]}" TF_POSTGRES_PASSWORD TF_S3_SECRET_KEY TF_GRAFANA_ADMIN_PASSWORD)
file="${1:-$ROOT/.env}"
ensure_secrets_file "$file" "${COMPOSE_SECRET_NAMES[@]}"
echo "[compose:env] $file has ${COMPOSE_SECRET_NAMES[*]} (mode 600)"
echo "[compose:env] admin API key: grep ^TF_BOOTSTRAP_API_KEY= $file | cut -d= -f2"
