# Sourced by scripts/stack.sh: Alertmanager (the Debian package `prometheus-alertmanager`), to which
# Prometheus sends its alerts, from deploy/alertmanager/alertmanager.yml (a webhook receiver).
# shellcheck shell=bash

ALERTMANAGER_PORT="$TF_STACK_ALERTMANAGER_PORT"

alertmanager_port() { echo "$ALERTMANAGER_PORT"; }
alertmanager_timeout() { echo 30; }
alertmanager_marker() { echo "--storage.path=$DATA/alertmanager"; }
alertmanager_health() { http_ok "http://127.0.0.1:$ALERTMANAGER_PORT/-/ready"; }
alertmanager_apt_packages() { have prometheus-alertmanager || echo prometheus-alertmanager; }

alertmanager_config() {
  mkdir -p "$STACK/alertmanager"
  render_config "$ROOT/deploy/alertmanager/alertmanager.yml" "$STACK/alertmanager/alertmanager.yml"
}

alertmanager_start() {
  warn_version_drift alertmanager \
    "$(prometheus-alertmanager --version 2>&1 | sed -n 's/^alertmanager, version \([0-9.]*\).*/v\1/p')" \
    "$TF_STACK_ALERTMANAGER_VERSION"
  alertmanager_config
  mkdir -p "$DATA/alertmanager"
  log "alertmanager: starting on 127.0.0.1:$ALERTMANAGER_PORT"
  # One instance: no cluster (its gossip port, 9094 by default, stays closed).
  start_bg alertmanager "$STACK/alertmanager" prometheus-alertmanager \
    --config.file="$STACK/alertmanager/alertmanager.yml" \
    --storage.path="$DATA/alertmanager" \
    --web.listen-address="127.0.0.1:$ALERTMANAGER_PORT" \
    --cluster.listen-address=
}

alertmanager_refresh() {
  local pid
  pid="$(our_pid alertmanager)" || return 0
  alertmanager_config
  kill -HUP "$pid"
  log "alertmanager: configuration reloaded"
}
