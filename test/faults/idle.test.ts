// --idle-timeout: a job whose log stops growing is stopped like a timeout, as `stalled` (exit
// 124, or 137 when it needed SIGKILL); a job that keeps printing runs to its end.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import { endLines, num, onlyLineOf, parexEnv } from '../helpers/exec.js';
import { assertNoneMarked, statusJson, wholeManifest } from '../helpers/faults.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

test('--idle-timeout 0.5: silent jobs are stalled, a chatty one succeeds', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const started = performance.now();
  const run = await runCli(
    [
      'exec',
      '--names',
      'silent,deaf,chatty',
      '--idle-timeout',
      '0.5',
      '--kill-after',
      '0.5',
      '--log-dir',
      'logs',
      '--',
      'echo a; sleep 30',
      "trap '' TERM; echo a; sleep 30",
      'for i in 1 2 3 4 5 6 7 8; do echo "tick $i"; sleep 0.2; done',
    ],
    { cwd: dir, env: parexEnv(marker) },
  );
  const tookMs = performance.now() - started;

  assert.equal(run.code, 1, run.stderr);
  assert.ok(tookMs < 15_000, `parex took ${Math.round(tookMs)} ms; the silent jobs sleep 30 s`);
  assertNoneMarked(marker);
  assert.match(run.stderr, /finished silent \(pid \d+\): STALLED \(no output for 0\.5s\) in /);
  assert.match(
    run.stderr,
    /finished deaf \(pid \d+\): STALLED \(no output for 0\.5s; SIGKILL after 0\.5s grace; ignored SIGTERM\)/,
  );
  const ends = endLines(wholeManifest(path.join(dir, 'logs', 'manifest.jsonl')));
  const silent = onlyLineOf(ends, 'silent');
  assert.equal(silent.outcome, 'stalled');
  assert.equal(silent.exit_code, 124);
  assert.equal(silent.stop_reason, 'stall');
  assert.equal(silent.idle_timeout_sec, 0.5);
  assert.deepEqual(silent.signals_sent, ['SIGTERM']);
  assert.ok(num(silent, 'duration_ms') >= 450 && num(silent, 'duration_ms') < 10_000);
  const deaf = onlyLineOf(ends, 'deaf');
  assert.equal(deaf.outcome, 'stalled');
  assert.equal(deaf.exit_code, 137);
  assert.deepEqual(deaf.signals_sent, ['SIGTERM', 'SIGKILL']);
  const chatty = onlyLineOf(ends, 'chatty');
  assert.equal(chatty.outcome, 'success', JSON.stringify(chatty));
  assert.ok(num(chatty, 'duration_ms') >= 1500, `chatty took ${chatty.duration_ms} ms`);

  const states = Object.fromEntries(
    (await statusJson(dir, 'logs')).map((job) => [job.name, job.state]),
  );
  assert.deepEqual(states, { silent: 'stalled', deaf: 'stalled', chatty: 'success' });
});
