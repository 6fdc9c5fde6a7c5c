#!/usr/bin/env node
// tflow: the Transcode Flow CLI (apps/gateway/src/cli). Runs the TypeScript sources through
// @swc-node/register with the repo's tsconfig (for the @tf/* paths), from any working directory.
'use strict';
const { join } = require('node:path');

const root = join(__dirname, '..');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || join(root, 'tsconfig.json');
require('@swc-node/register');
require(join(root, 'apps/gateway/src/cli/main.ts'));
