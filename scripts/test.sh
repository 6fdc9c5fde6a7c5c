#!/usr/bin/env bash
# Whole test run from a fresh clone: deps, local stack, unit tests, build, integration tests.
#   npm test            (what .ci/run calls)
# Env: TF_TEST_SKIP_INTEGRATION=1 runs only the unit tests;
#      CI=true stops the stack afterwards unless TF_STACK_KEEP=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\n[test] %s\n' "$*"; }
t0=$(date +%s)

# 1. node_modules: npm ci when missing or when package-lock.json changed since the last install.
lock_hash() {
  if [ -f package-lock.json ]; then sha256sum <package-lock.json; else sha256sum <package.json; fi | cut -c1-64
}
stamp=node_modules/.tf-install.sha256
need_install=0
if [ ! -d node_modules ]; then
  need_install=1
elif [ -f "$stamp" ]; then
  [ "$(cat "$stamp")" = "$(lock_hash)" ] || need_install=1
elif [ -f package-lock.json ] && { [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  need_install=1 # no stamp yet (installed by hand): trust npm's own hidden lockfile unless older
fi
if [ "$need_install" = 1 ]; then
  if [ -f package-lock.json ]; then
    say "npm ci"
    npm ci --no-audit --no-fund
  else
    say "npm install (no package-lock.json)"
    npm install --no-audit --no-fund
  fi
  lock_hash >"$stamp"
fi

# 2. The local stack (idempotent: servers that already answer are left alone).
say "stack up"
started_here=0
bash scripts/stack.sh status >/dev/null 2>&1 || started_here=1
bash scripts/stack.sh up
if [ "${CI:-}" = true ] && [ "${TF_STACK_KEEP:-}" != 1 ] && [ "$started_here" = 1 ]; then
  trap 'bash scripts/stack.sh down || true' EXIT
fi
eval "$(bash scripts/stack.sh env)"

# 3. Unit tests.
say "unit tests"
npx jest --config jest.config.js

[ "${TF_TEST_SKIP_INTEGRATION:-}" = 1 ] && { say "integration tests skipped (TF_TEST_SKIP_INTEGRATION=1)"; exit 0; }

# 4. Build (integration tests start the services from dist/), then integration tests.
say "build"
npm run build
say "integration tests"
npx jest --config test/jest.integration.config.js --runInBand

say "all tests passed in $(( $(date +%s) - t0 ))s"
