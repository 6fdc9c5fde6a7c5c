#!/usr/bin/env bash
# Sourced by scripts/test.sh and scripts/services.sh: `npm ci` when node_modules is missing or
# package.json / package-lock.json changed since the last install (a stamp keeps the hash).
ensure_node_deps() {
  local stamp=node_modules/.tf-install.sha256 hash
  hash=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -c1-64)
  if [ -d node_modules ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then return 0; fi
  if [ -d node_modules ] && [ ! -f "$stamp" ] && [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "$hash" >"$stamp"; return 0 # installed by hand and current: adopt it
  fi
  echo "[deps] npm ci"
  npm ci --no-audit --no-fund
  echo "$hash" >"$stamp"
}
