#!/usr/bin/env bash
# Whole test run from a fresh clone: deps, static checks and unit tests (a unit failure shows within
# minutes, before any server starts), then the local stack, build and integration tests.
#   npm test            (what .ci/run calls)
# Env: TF_TEST_SKIP_INTEGRATION=1 runs only the checks and the unit tests (no stack);
#      CI=true stops the stack afterwards unless TF_STACK_KEEP=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\n[test] %s\n' "$*"; }
t0=$(date +%s)

# 1. node_modules (npm ci when missing or when package.json / package-lock.json changed), and the
#    tools the checks and unit tests run (ffmpeg/ffprobe, shellcheck), installed when missing.
# shellcheck source=lib/ensure-node-deps.sh
source scripts/lib/ensure-node-deps.sh
ensure_node_deps
bash scripts/stack.sh tools

# 2. Static checks, then unit tests: no server needed.
say "typecheck + lint"
npm run --silent typecheck
npm run --silent lint
say "unit tests"
npx jest --config jest.config.js

[ "${TF_TEST_SKIP_INTEGRATION:-}" = 1 ] && { say "integration tests skipped (TF_TEST_SKIP_INTEGRATION=1)"; exit 0; }

# 3. The local stack (idempotent: servers that already answer are left alone).
say "stack up"
started_here=0
bash scripts/stack.sh status >/dev/null 2>&1 || started_here=1
bash scripts/stack.sh up
if [ "${CI:-}" = true ] && [ "${TF_STACK_KEEP:-}" != 1 ] && [ "$started_here" = 1 ]; then
  trap 'bash scripts/stack.sh down || true' EXIT
fi
eval "$(bash scripts/stack.sh env)"

# 4. Build (the dist/ the Docker image runs; tests run the services from source), then integration tests.
say "build"
npm run build
say "integration tests"
npx jest --config test/jest.integration.config.js --runInBand

say "all tests passed in $(( $(date +%s) - t0 ))s"
