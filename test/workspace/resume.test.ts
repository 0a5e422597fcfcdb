// SIGKILL of parex in the middle of an isolated workflow, then --resume: the phase that finished
// is reused by its commit (its worktree, no longer needed, removed), the one that was running
// gets a new worktree (the old one removed), and the result has everybody's work.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { runCli } from '../helpers/cli.js';
import {
  endLines,
  onlyLineOf,
  parexEnv,
  startCli,
  startLines,
  waitForStderrCount,
} from '../helpers/exec.js';
import { waitForMarked, waitUntilNoneMarked, wholeManifest } from '../helpers/faults.js';
import { git, testRepo, writeFiles } from '../helpers/git.js';
import { killedAfter } from '../helpers/processes.js';

test('SIGKILL mid-run, then --resume: finished isolated phases reused by commit, unfinished ones in new worktrees', async (t) => {
  const repo = testRepo(t, { 'base.txt': 'base\n' });
  const go = path.join(path.dirname(repo.dir), 'go');
  const marker = killedAfter(t);
  writeFiles(repo.dir, {
    'flow.yaml': [
      'name: flow',
      'dirs: { logs: .parex/logs }',
      'defaults: { agent: command, isolation: worktree, timeout: 60, kill_after: 1 }',
      'phases:',
      "  - { id: a, command: 'echo a > a.txt', outputs: [a.txt] }",
      `  - { id: b, needs: [a], command: '[ -f ${go} ] || sleep 30; cat a.txt > b.txt', outputs: [b.txt] }`,
      "  - { id: c, needs: [b], command: 'cat b.txt base.txt > c.txt', outputs: [c.txt] }",
      '',
    ].join('\n'),
  });
  const env = { ...parexEnv(marker), ...repo.env };
  const { child, done } = startCli(['run', 'flow.yaml'], { cwd: repo.dir, env });
  await waitForStderrCount(child, '[parex] started ', 2);
  await waitForMarked(marker, 1, 'sleep 30');
  child.kill('SIGKILL');
  assert.equal((await done).signal, 'SIGKILL');
  await waitUntilNoneMarked(marker, 5000);

  const manifest = path.join(repo.dir, '.parex/logs/manifest.jsonl');
  const first = wholeManifest(manifest);
  const a = onlyLineOf(endLines(first), 'a');
  const oldB = onlyLineOf(startLines(first), 'b');
  assert.equal(typeof a.commit, 'string');
  assert.ok(existsSync(String(oldB.workspace)), "the killed run left b's worktree");
  assert.ok(existsSync(String(a.workspace)), "the killed run never got to remove a's worktree");

  writeFileSync(go, '');
  const resumed = await runCli(['run', 'flow.yaml', '--resume'], { cwd: repo.dir, env });
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /reused {3}a: succeeded in run/);
  const second = wholeManifest(manifest).slice(first.length);
  assert.deepEqual(
    startLines(second).map((line) => line.phase),
    ['b', 'c'],
  );
  const newB = onlyLineOf(endLines(second), 'b');
  assert.notEqual(newB.workspace, oldB.workspace);
  assert.equal(
    existsSync(String(oldB.workspace)),
    false,
    'the unfinished worktree was not removed',
  );
  assert.equal(existsSync(String(a.workspace)), false, 'the finished worktree was not removed');
  // b started from the new base plus a's commit from the first run.
  assert.equal(git(repo.dir, 'show', `${String(newB.base_commit)}:a.txt`), 'a');
  assert.equal(
    git(repo.dir, 'merge-base', '--is-ancestor', String(a.commit), String(newB.base_commit)),
    '',
  );
  const runId = String(newB.run_id);
  assert.equal(git(repo.dir, 'show', `refs/parex/${runId}/result:c.txt`), 'a\nbase');
  assert.equal(git(repo.dir, 'worktree', 'list').split('\n').length, 1);
});
