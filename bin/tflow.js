#!/usr/bin/env node
// tflow: the Transcode Flow CLI. Runs the TypeScript sources through @swc-node/register with the
// repo's tsconfig (for the @tf/* paths), from any working directory. `tflow admin …` works on the
// gateway's database (apps/gateway/src/admin.main.ts, a Nest application context); everything else
// goes through the gateway's HTTP API (apps/cli).
'use strict';
const { join } = require('node:path');

const root = join(__dirname, '..');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || join(root, 'tsconfig.json');
require('@swc-node/register');
if (process.argv[2] === 'admin') {
  process.argv.splice(2, 1);
  require(join(root, 'apps/gateway/src/admin.main.ts'));
} else {
  require(join(root, 'apps/cli/src/main.ts'));
}
