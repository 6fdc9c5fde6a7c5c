# Sourced by scripts/stack.sh: Prometheus (the Debian package `prometheus`), scraping the six services every
# 5 s and evaluating the alert rules, from deploy/prometheus/ (docs/operations.md "Where things run").
# shellcheck shell=bash

PROMETHEUS_PORT="$TF_STACK_PROMETHEUS_PORT"

prometheus_port() { echo "$PROMETHEUS_PORT"; }
prometheus_timeout() { echo 60; }
prometheus_marker() { echo "--storage.tsdb.path=$DATA/prometheus"; }
prometheus_health() { http_ok "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"; }
prometheus_apt_packages() { have prometheus && have promtool || echo prometheus; }

# The copy it runs: the repo's config and rules, with the ports of this stack (render_config).
prometheus_config() {
  local dir="$STACK/prometheus"
  mkdir -p "$dir"
  rm -rf "$dir/rules"
  mkdir -p "$dir/rules"
  local f
  for f in "$ROOT"/deploy/prometheus/rules/*.yml; do render_config "$f" "$dir/rules/$(basename "$f")"; done
  render_config "$ROOT/deploy/prometheus/prometheus.yml" "$dir/prometheus.yml"
  promtool check config "$dir/prometheus.yml" >"$LOGS/prometheus-check.log" 2>&1 ||
    die "prometheus: deploy/prometheus does not pass promtool check config; see $LOGS/prometheus-check.log"
}

prometheus_start() {
  warn_version_drift prometheus "$(prometheus --version 2>&1 | sed -n 's/^prometheus, version \([0-9.]*\).*/v\1/p')" \
    "$TF_STACK_PROMETHEUS_VERSION"
  prometheus_config
  mkdir -p "$DATA/prometheus"
  log "prometheus: starting on 127.0.0.1:$PROMETHEUS_PORT"
  start_bg prometheus "$STACK/prometheus" prometheus \
    --config.file="$STACK/prometheus/prometheus.yml" \
    --storage.tsdb.path="$DATA/prometheus" \
    --storage.tsdb.retention.time=7d \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT"
}

# `up` while it runs: the repo's config and rules again, reloaded in place (SIGHUP), so that a changed rule
# needs no restart.
prometheus_refresh() {
  local pid
  pid="$(our_pid prometheus)" || return 0
  prometheus_config
  kill -HUP "$pid"
  log "prometheus: configuration reloaded"
}
