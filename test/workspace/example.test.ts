// The offline workspaces example runs as its comments say, in a fresh repository.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { runCli } from '../helpers/cli.js';
import { endLines, onlyLineOf } from '../helpers/exec.js';
import { git, testRepo, userState } from '../helpers/git.js';
import { manifestLines } from '../helpers/manifest.js';
import { REPO_ROOT } from '../helpers/paths.js';

test('examples/workspaces.yaml: parallel edits merge, one pair conflicts, best-of-3, then apply --job', async (t) => {
  const repo = testRepo(t, { 'README.md': 'demo\n' });
  const before = userState(repo.dir);
  const example = path.join(REPO_ROOT, 'examples/workspaces.yaml');
  const run = await runCli(['run', example], { cwd: repo.dir, env: repo.env });
  assert.equal(run.code, 1, run.stderr);
  assert.equal(userState(repo.dir), before);
  assert.match(
    run.stderr,
    /warning: (title and subtitle|subtitle and title) conflict in workspace-demo\/app\.txt/,
  );
  const all = endLines(
    manifestLines(path.join(repo.dir, '.parex/features/workspaces/logs/manifest.jsonl')),
  );
  const outcomes = Object.fromEntries(all.map((line) => [line.phase, line.outcome]));
  assert.equal(outcomes.both_titles, 'conflict');
  for (const id of ['seed', 'upper', 'lower', 'title', 'subtitle', 'combine', 'greeting']) {
    assert.equal(outcomes[id], 'success', id);
  }
  // The one of upper and lower that parex saw finish second records the overlap with the
  // other (their exits may be milliseconds apart, so not by ended_at).
  const lower = onlyLineOf(all, 'lower');
  const upper = onlyLineOf(all, 'upper');
  const overlapsOf = (line: typeof lower) =>
    (line.overlaps ?? []) as { job: string; files: string[] }[];
  const later = overlapsOf(lower).some((overlap) => overlap.job === 'upper') ? lower : upper;
  const other = later === lower ? 'upper' : 'lower';
  assert.deepEqual(overlapsOf(later).find((overlap) => overlap.job === other)?.files, [
    'workspace-demo/app.txt',
  ]);
  assert.deepEqual(later.conflicts, []);
  assert.equal(onlyLineOf(all, 'greeting').winner, 'greeting-c2');
  const status = await runCli(['status', '.parex/features/workspaces/logs'], { cwd: repo.dir });
  assert.match(status.stdout, /conflict: \w+ x \w+ in workspace-demo\/app\.txt/);
  // The job that never started names the pair it needs, and has no log to point to.
  assert.match(
    status.stdout,
    /conflict: (title \+ subtitle|subtitle \+ title), which both_titles needs, in workspace-demo\/app\.txt/,
  );
  assert.match(status.stdout, /^both_titles +CONFLICT .* -$/m);
  assert.match(status.stdout, /^greeting +SUCCESS .* -$/m);
  const applied = await runCli(['apply', '--job', 'combine'], { cwd: repo.dir });
  assert.equal(applied.code, 0, applied.stderr);
  assert.equal(readFileSync(path.join(repo.dir, 'workspace-demo/capitals.txt'), 'utf8'), '2\n');
  assert.match(
    readFileSync(path.join(repo.dir, 'workspace-demo/app.txt'), 'utf8'),
    /^THREE$[\s\S]*^SEVEN$/m,
  );
  assert.equal(git(repo.dir, 'worktree', 'list').split('\n').length, 1);
});
