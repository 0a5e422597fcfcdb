// Every shell example of docs/cli.md's EXAMPLES section that needs no agent runs as printed, in
// order, in one directory, with bash (the shards example uses arrays). `npm` is a stand-in that
// fails shard 7, so that the next example has a failed job to find.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { parexEnv } from '../helpers/exec.js';
import { CLI_PATH, REPO_ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

/** The ```sh blocks of the EXAMPLES section. */
function examples(): string[] {
  const text = readFileSync(path.join(REPO_ROOT, 'docs', 'cli.md'), 'utf8');
  const section = text.slice(text.indexOf('## EXAMPLES'), text.indexOf('## SEE ALSO'));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

test("docs/cli.md's EXAMPLES run as printed", (t) => {
  const dir = tempDir(t);
  const bin = path.join(dir, '.bin');
  mkdirSync(bin);
  const tool = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  tool('parex', `exec "${process.execPath}" "${CLI_PATH}" "$@"`);
  tool('npm', 'case "$*" in *shard=7/50*) echo "shard 7 failed" >&2; exit 1;; esac; echo "ok $*"');
  const blocks = examples();
  const runnable = blocks.filter((block) => !/\b(codex|claude|gemini)\b/.test(block));
  assert.ok(runnable.length >= 4, `only ${runnable.length} examples found`);
  const results = runnable.map((block) =>
    spawnSync('bash', ['-c', block], {
      cwd: dir,
      env: { ...parexEnv(null), PATH: `${bin}:${process.env.PATH ?? ''}`, NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 120_000,
    }),
  );
  const [shards, failed, fromFile, reportAndClean, streamed, statusOnly] = results;
  assert.equal(shards?.status, 1, shards?.stderr);
  assert.match(shards?.stderr ?? '', /failed: 1 of 50: job7 \(exit 1\)/);
  assert.equal(failed?.status, 0, failed?.stderr);
  assert.equal(failed?.stdout, 'job7: failed (exit 1)\n');
  assert.equal(fromFile?.status, 0, fromFile?.stderr);
  assert.match(fromFile?.stdout ?? '', /^stopped: exit 1$/m);
  assert.match(fromFile?.stderr ?? '', /stopped by --fail-fast at job2 \(failed\)/);
  assert.match(fromFile?.stderr ?? '', /job3 +NOT STARTED \(fail-fast\)/);
  assert.equal(reportAndClean?.status, 0, reportAndClean?.stderr);
  const out = reportAndClean?.stdout ?? '';
  const figures = JSON.parse(out.slice(0, out.indexOf('\n}\n') + 2)) as Record<string, unknown>;
  assert.equal(typeof figures.speedup, 'number');
  assert.ok(Array.isArray(figures.critical_path));
  // Three runs so far (the shards, the file, the pipe): the oldest would go.
  assert.match(out, /^would free .* from 1 run; 2 kept$/m);
  assert.equal(streamed?.status, 0, streamed?.stderr);
  const lines = (streamed?.stdout ?? '').split('\n');
  assert.deepEqual(
    lines.filter((line) => line.startsWith('[web] ')),
    ['[web] building web', '[web] web done'],
  );
  assert.deepEqual(
    lines.filter((line) => line.startsWith('[api] ')),
    ['[api] building api', '[api] api done'],
  );
  assert.match(streamed?.stderr ?? '', /^\[parex\] 2\/2 done, 0 running, 0 failed$/m);
  assert.equal(statusOnly?.status, 0, statusOnly?.stderr);
  assert.doesNotMatch(statusOnly?.stderr ?? '', /done, \d+ running|──/);
});
