#!/usr/bin/env node
// The `cancerllm` command: runs the bundled command line built by `npm run build`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(`cancerllm: ${cli} is missing; run "npm run build" in the repository first.\n`);
  process.exit(2);
}
require(cli);
