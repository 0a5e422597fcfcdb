// A closed stdout is a cancel, not a success: `parex exec --json ... | head -1` stops the jobs
// as a hang-up would, writes their completion lines and exits 128+SIGPIPE (141); a command that
// only prints (parex --help | head) still ends quietly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import test from 'node:test';

import { type CliRun, collectRun } from '../helpers/cli.js';
import { endLines, onlyLineOf, parexEnv } from '../helpers/exec.js';
import { assertNoneMarked, wholeManifest } from '../helpers/faults.js';
import { CLI_PATH } from '../helpers/paths.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

/** Runs a shell pipeline with `$PAREX` as the CLI; resolves with its stdout, stderr and status. */
function pipeline(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
  const child = spawn('/bin/bash', ['-c', script], {
    cwd,
    env: { ...process.env, ...env, PAREX: `${process.execPath} ${CLI_PATH}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collectRun(child, 30_000);
}

test('--json into head -1: the jobs are stopped and recorded, parex exits 141', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const started = performance.now();
  // head reads the first event and goes; parex's next line meets a closed pipe.
  const run = await pipeline(
    `set -o pipefail; $PAREX exec --json --names quick,long --log-dir logs -- 'sleep 0.5' 'sleep 30' 2>err.txt | head -1; echo "status \${PIPESTATUS[0]}"; cat err.txt >&2`,
    dir,
    parexEnv(marker),
  );
  assert.ok(performance.now() - started < 20_000, 'the long job ran on');
  assertNoneMarked(marker);
  assert.match(run.stdout, /^\{"time":"[^"]+","type":"run-start"/);
  assert.match(run.stdout, /^status 141$/m, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stderr, /stdout was closed \(EPIPE\): stopping every job/);
  const ends = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  assert.equal(onlyLineOf(ends, 'long').outcome, 'cancelled');
  assert.equal(ends.length, 2, 'a completion line for each job');
});

test('parex --help | head -1: a closed stdout outside a run still ends quietly', async (t) => {
  const dir = tempDir(t);
  const run = await pipeline(
    `set -o pipefail; $PAREX --help | (sleep 0.3; head -1); echo "status \${PIPESTATUS[0]}"`,
    dir,
    parexEnv(null),
  );
  assert.doesNotMatch(run.stderr, /Error|EPIPE/);
  assert.match(run.stdout, /^status 0$/m, `${run.stdout}\n${run.stderr}`);
});
