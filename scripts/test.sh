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

# 1. node_modules (npm ci when missing or when package.json / package-lock.json changed).
# shellcheck source=lib/ensure-node-deps.sh
source scripts/lib/ensure-node-deps.sh
ensure_node_deps

# 2. The local stack (idempotent: servers that already answer are left alone).
say "stack up"
started_here=0
bash scripts/stack.sh status >/dev/null 2>&1 || started_here=1
bash scripts/stack.sh up
if [ "${CI:-}" = true ] && [ "${TF_STACK_KEEP:-}" != 1 ] && [ "$started_here" = 1 ]; then
  trap 'bash scripts/stack.sh down || true' EXIT
fi
eval "$(bash scripts/stack.sh env)"

# 3. Static checks, then unit tests.
say "typecheck + lint"
npx tsc -p tsconfig.json --noEmit
npx eslint apps libs test bench
say "unit tests"
npx jest --config jest.config.js

[ "${TF_TEST_SKIP_INTEGRATION:-}" = 1 ] && { say "integration tests skipped (TF_TEST_SKIP_INTEGRATION=1)"; exit 0; }

# 4. Build (the dist/ the Docker image runs; tests run the services from source), then integration tests.
say "build"
npm run build
say "integration tests"
npx jest --config test/jest.integration.config.js --runInBand

say "all tests passed in $(( $(date +%s) - t0 ))s"
