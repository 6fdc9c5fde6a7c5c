#!/usr/bin/env bash
# npm run demo -- [path/to/video] [options]: the README's main command. Works on a fresh clone: installs
# node_modules first (the demo itself is TypeScript run from source), then scripts/demo.ts brings up the
# stack and the services, submits the video and follows it to the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/ensure-node-deps.sh
source scripts/lib/ensure-node-deps.sh
ensure_node_deps
exec node -r @swc-node/register scripts/demo.ts "$@"
