#!/usr/bin/env node
// The parex executable, bundled as dist/bin/parex.cjs. It runs one self-contained bundle: the
// one of the command named first, or the whole CLI for --help and unknown commands, so that a
// start reads and compiles no other command's code; and it answers --version itself.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runWithCodeCache } from '../files/code-cache.js';
import { packageInfo } from '../package-root.js';
import { COMMAND_NAMES } from './command-names.js';

/** Bundle file names by command ('all': the whole CLI), written in by scripts/bundle.mjs. */
declare const PAREX_BUNDLES: Readonly<Record<string, string>>;

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${packageInfo().version}\n`);
} else {
  const command = COMMAND_NAMES.find((name) => name === argv[0]) ?? 'all';
  const bundle = PAREX_BUNDLES[command];
  if (bundle === undefined) {
    throw new Error(`parex is not built completely: no bundle of '${command}' (run npm run build)`);
  }
  runWithCodeCache(path.join(path.dirname(fileURLToPath(import.meta.url)), 'bundles', bundle));
}
