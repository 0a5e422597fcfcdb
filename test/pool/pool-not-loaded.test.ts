// Without --redis nothing of the pool is loaded: a local run and --version never read BullMQ or
// ioredis (they are in a bundle of their own, dist/bin/bundles/pool-deps-HASH.cjs, run at the
// point of use, or required there by the unbundled build).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { tempDir } from '../helpers/tmp.js';

/** A preload that notes every module parex requires whose request names BullMQ or ioredis, and
 * every read of the pool's dependencies' bundle. */
function hook(dir: string): string {
  const file = path.join(dir, 'hook.cjs');
  writeFileSync(
    file,
    [
      "const Module = require('node:module');",
      "const fs = require('node:fs');",
      'const load = Module._load;',
      'Module._load = function (request, ...rest) {',
      "  if (/^(bullmq|ioredis)$/.test(request)) fs.appendFileSync(process.env.LOADED_LOG, request + '\\n');",
      '  return load.call(this, request, ...rest);',
      '};',
      'const read = fs.readFileSync;',
      'fs.readFileSync = function (file, ...rest) {',
      "  if (/pool-deps-\\w+\\.cjs$/.test(String(file))) fs.appendFileSync(process.env.LOADED_LOG, 'pool-deps\\n');",
      '  return read.call(this, file, ...rest);',
      '};',
    ].join('\n'),
  );
  return file;
}

test('a local run and --version load neither BullMQ nor ioredis; --redis does', async (t) => {
  const dir = tempDir(t);
  const log = path.join(dir, 'loaded.log');
  const env = parexEnv(null, { NODE_OPTIONS: `--require ${hook(dir)}`, LOADED_LOG: log });
  const local = await runCli(['exec', '--', 'true'], { cwd: dir, env });
  assert.equal(local.code, 0, local.stderr);
  const version = await runCli(['--version'], { cwd: dir, env });
  assert.equal(version.code, 0);
  assert.equal(existsSync(log), false, 'the pool was loaded by a local run');
  // The check itself works: with --redis (here unreachable: exit 2) the bundle of BullMQ and
  // ioredis is read, and nothing else of them.
  const pooled = await runCli(['exec', '--redis', 'redis://127.0.0.1:1', '--', 'true'], {
    cwd: dir,
    env,
  });
  assert.equal(pooled.code, 2);
  assert.deepEqual(readFileSync(log, 'utf8').split('\n').filter(Boolean).sort(), ['pool-deps']);
});
