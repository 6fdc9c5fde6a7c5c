# Sourced by scripts/stack.sh: PostgreSQL (the Debian package), the services' database and Apicurio's.
# shellcheck shell=bash

PG_BIN="${TF_PG_BIN:-/usr/lib/postgresql/$TF_STACK_POSTGRES_VERSION/bin}"
PG_PORT="$TF_STACK_PG_PORT"
DB_USER=transcodeflow
DB_PASSWORD=transcodeflow
DB_NAME=transcodeflow
REGISTRY_DB=apicurio
REGISTRY_DB_USER=apicurio
REGISTRY_DB_PASSWORD=apicurio

postgres_port() { echo "$PG_PORT"; }
postgres_timeout() { echo 60; }
postgres_marker() { echo postgres; }
postgres_health() {
  [ -x "$PG_BIN/psql" ] || return 1
  [ "$(PGPASSWORD="$DB_PASSWORD" PGCONNECT_TIMEOUT=3 "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" \
    -U "$DB_USER" -d "$DB_NAME" -tAc 'select 1' 2>/dev/null)" = 1 ]
}

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

postgres_start() {
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
# written by scripts/stack/postgres.sh on every start
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

postgres_bootstrap() {
  # Idempotent: roles and databases for the services and for Apicurio.
  local _
  for _ in $(seq 1 $((120 * SCALE))); do
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

postgres_stop() {
  local pgdata
  pgdata="$(pg_data)"
  if [ -f "$pgdata/postmaster.pid" ] && our_pid postgres >/dev/null; then
    log "postgres: stopping"
    as_pg "$PG_BIN/pg_ctl" -D "$pgdata" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
  rm -f "$(pidfile postgres)"
}
