# Sourced by scripts/stack.sh: Redis (the Debian redis-server), the gateway's rate limits.
# shellcheck shell=bash

REDIS_PORT="$TF_STACK_REDIS_PORT"

redis_port() { echo "$REDIS_PORT"; }
redis_timeout() { echo 20; }
redis_marker() { echo redis-server; }
redis_health() {
  [ "$(timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
}

redis_start() {
  local major
  major="$(redis-server --version 2>/dev/null | sed -n 's/.* v=\([0-9]*\)\..*/\1/p')"
  if [ -n "$major" ] && [ "$major" != "$TF_STACK_REDIS_VERSION" ]; then
    log "WARNING: redis-server is $major.x; scripts/stack/versions.env (and docker-compose.yml) say $TF_STACK_REDIS_VERSION"
  fi
  mkdir -p "$DATA/redis" "$STACK/redis"
  cat >"$STACK/redis/redis.conf" <<CONF
# written by scripts/stack/redis.sh
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize no
supervised no
dir $DATA/redis
dbfilename dump.rdb
save 60 1000
appendonly no
logfile ""
loglevel notice
CONF
  log "redis: starting on 127.0.0.1:$REDIS_PORT"
  start_bg redis "$STACK" redis-server "$STACK/redis/redis.conf"
}
