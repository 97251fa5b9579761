#!/usr/bin/env node
// The `retile` command: builds on demand (first run after install or after a source change),
// then runs the bundled CLI. See docs/cli.md.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { ensureBuild, ROOT } from '../scripts/ensure-build.mjs';

try {
  ensureBuild();
} catch (e) {
  process.stderr.write(`retile: build failed (${e.message.split('\n')[0]})\n`);
  process.exit(1);
}
await import(pathToFileURL(join(ROOT, 'out/main/cli.js')).href);
