// parex exec --isolate with real git: each job in its own worktree, the user's tree untouched,
// the work committed, conflicts found between parallel jobs, the result applied on request.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { runCli } from '../helpers/cli.js';
import { endLines, onlyLineOf, runIdOf } from '../helpers/exec.js';
import { git, lines, parexRefs, testRepo, userState } from '../helpers/git.js';
import { manifestLines } from '../helpers/manifest.js';
import { tempDir } from '../helpers/tmp.js';

function manifestOf(dir: string, runId: string) {
  return manifestLines(path.join(dir, '.parex/runs', runId, 'manifest.jsonl'));
}

test("two isolated jobs editing different files: the user's work visible, the user's tree untouched, both in the result, apply brings both", async (t) => {
  const repo = testRepo(t, { 'a.txt': 'a\n', 'b.txt': 'b\n', '.gitignore': 'ignored.txt\n' });
  // Uncommitted work: a staged change, an unstaged one, an untracked file, an ignored file, a stash.
  writeFileSync(path.join(repo.dir, 'a.txt'), 'a staged\n');
  git(repo.dir, 'add', 'a.txt');
  writeFileSync(path.join(repo.dir, 'b.txt'), 'b unstaged\n');
  writeFileSync(path.join(repo.dir, 'stash-me.txt'), 'x\n');
  git(repo.dir, 'stash', 'push', '-q', '--include-untracked', '--', 'stash-me.txt');
  writeFileSync(path.join(repo.dir, 'notes.txt'), 'untracked notes\n');
  writeFileSync(path.join(repo.dir, 'ignored.txt'), 'secret\n');
  const before = userState(repo.dir);

  const run = await runCli(
    [
      'exec',
      '--isolate',
      '--names',
      'one,two',
      '--',
      'cat a.txt b.txt notes.txt > seen-one.txt; test ! -e ignored.txt; echo one >> a.txt; pwd > where-one.txt',
      'echo two >> b.txt; rm notes.txt',
    ],
    { cwd: repo.dir, env: repo.env },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    userState(repo.dir),
    before,
    "the run changed the user's index, tree, stash or branches",
  );
  const runId = runIdOf(run.stderr);
  const ends = endLines(manifestOf(repo.dir, runId));
  const one = onlyLineOf(ends, 'one');
  const two = onlyLineOf(ends, 'two');
  const base = git(repo.dir, 'rev-parse', `refs/parex/${runId}/base`);
  assert.equal(one.base_commit, base);
  assert.equal(git(repo.dir, 'rev-parse', `${base}^`), git(repo.dir, 'rev-parse', 'HEAD'));
  assert.equal(git(repo.dir, 'show', `${base}:a.txt`), 'a staged');
  assert.equal(git(repo.dir, 'show', `${base}:b.txt`), 'b unstaged');
  assert.equal(git(repo.dir, 'show', `${base}:notes.txt`), 'untracked notes');
  assert.throws(() => git(repo.dir, 'cat-file', '-e', `${base}:ignored.txt`));
  assert.throws(() => git(repo.dir, 'cat-file', '-e', `${base}:stash-me.txt`));
  // Job one saw the user's uncommitted work, in a worktree outside the user's tree.
  assert.equal(
    git(repo.dir, 'show', `${String(one.commit)}:seen-one.txt`),
    'a staged\nb unstaged\nuntracked notes',
  );
  const where = git(repo.dir, 'show', `${String(one.commit)}:where-one.txt`);
  assert.equal(where, one.workspace);
  assert.ok(where.startsWith(path.join(repo.cache, 'parex', 'worktrees')), where);
  assert.deepEqual([...(one.changed_files as string[])].sort(), [
    'a.txt',
    'seen-one.txt',
    'where-one.txt',
  ]);
  assert.equal(one.insertions, 5);
  assert.equal(one.deletions, 0);
  assert.deepEqual([...(two.changed_files as string[])].sort(), ['b.txt', 'notes.txt']);
  assert.equal(two.deletions, 1);
  assert.deepEqual(two.conflicts, []);
  assert.equal(git(repo.dir, 'rev-parse', `refs/parex/${runId}/job/one`), one.commit);
  assert.equal(git(repo.dir, 'rev-parse', `parex/${runId}/job/two`), two.commit);
  assert.match(readFileSync(String(two.patch), 'utf8'), /^\+two$/m);
  // Worktrees of successful jobs are gone; their branches stay.
  assert.equal(existsSync(String(one.workspace)), false);
  assert.equal(git(repo.dir, 'worktree', 'list').split('\n').length, 1);
  // The result has both.
  const result = `refs/parex/${runId}/result`;
  assert.equal(git(repo.dir, 'show', `${result}:a.txt`), 'a staged\none');
  assert.equal(git(repo.dir, 'show', `${result}:b.txt`), 'b unstaged\ntwo');
  assert.match(run.stderr, new RegExp(`result: refs/parex/${runId}/result`));
  const stat = await runCli(['diff', '--stat'], { cwd: repo.dir });
  assert.equal(stat.code, 0, stat.stderr);
  assert.match(stat.stdout, /a\.txt +\| 1 \+/);
  assert.match(stat.stdout, /notes\.txt +\| 1 -/);

  const indexBefore = readFileSync(path.join(repo.dir, '.git', 'index'));
  const applied = await runCli(['apply'], { cwd: repo.dir });
  assert.equal(applied.code, 0, applied.stderr);
  assert.match(applied.stdout, /applied the result of run/);
  assert.equal(readFileSync(path.join(repo.dir, 'a.txt'), 'utf8'), 'a staged\none\n');
  assert.equal(readFileSync(path.join(repo.dir, 'b.txt'), 'utf8'), 'b unstaged\ntwo\n');
  assert.equal(existsSync(path.join(repo.dir, 'notes.txt')), false);
  assert.equal(readFileSync(path.join(repo.dir, 'ignored.txt'), 'utf8'), 'secret\n');
  assert.deepEqual(
    readFileSync(path.join(repo.dir, '.git', 'index')),
    indexBefore,
    'apply staged something',
  );
});

test('two isolated jobs editing the same lines: the conflict is recorded on the later one, no result, apply refuses, exit 1', async (t) => {
  const repo = testRepo(t, { 'f.txt': lines(10) });
  const run = await runCli(
    [
      'exec',
      '--isolate',
      '--names',
      'first,second',
      '--',
      "sed -i 's/^line 2$/FIRST/' f.txt",
      "sleep 0.5; sed -i 's/^line 2$/SECOND/' f.txt",
    ],
    { cwd: repo.dir, env: repo.env },
  );
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /no result: /);
  const runId = runIdOf(run.stderr);
  const ends = endLines(manifestOf(repo.dir, runId));
  // The job parex saw finish second (second sleeps 0.5 s first, but a loaded machine may start
  // first later than that) records the conflict with the other.
  const [earlier, later] = ends.map((line) => String(line.phase));
  assert.ok(
    run.stderr.includes(`warning: ${later} and ${earlier} conflict in f.txt (1 hunk)`),
    run.stderr,
  );
  assert.deepEqual(onlyLineOf(ends, String(earlier)).conflicts, []);
  assert.deepEqual(onlyLineOf(ends, String(later)).conflicts, [
    { job: earlier, files: ['f.txt'], hunks: 1 },
  ]);
  assert.ok(ends.every((line) => line.outcome === 'success'));
  assert.equal(parexRefs(repo.dir).includes(`refs/parex/${runId}/result`), false);
  const status = await runCli(['status', `.parex/runs/${runId}`], { cwd: repo.dir });
  assert.ok(status.stdout.includes(`conflict: ${earlier} x ${later} in f.txt`), status.stdout);
  const applied = await runCli(['apply'], { cwd: repo.dir });
  assert.equal(applied.code, 2);
  assert.match(applied.stderr, /has no commit/);
  // One job's commit still applies.
  const one = await runCli(['apply', runId, '--job', String(later)], { cwd: repo.dir });
  assert.equal(one.code, 0, one.stderr);
  assert.match(
    readFileSync(path.join(repo.dir, 'f.txt'), 'utf8'),
    new RegExp(`^${String(later).toUpperCase()}$`, 'm'),
  );
});

test('an overlap that merges cleanly is reported, not failed', async (t) => {
  const repo = testRepo(t, { 'f.txt': lines(20) });
  const run = await runCli(
    [
      'exec',
      '--isolate',
      '--names',
      'top,bottom',
      '--',
      "sed -i 's/^line 1$/TOP/' f.txt",
      "sleep 0.3; sed -i 's/^line 20$/BOTTOM/' f.txt",
    ],
    { cwd: repo.dir, env: repo.env },
  );
  assert.equal(run.code, 0, run.stderr);
  const runId = runIdOf(run.stderr);
  // The job parex saw finish second (bottom sleeps 0.3 s first; load may swap them) records
  // the overlap with the other.
  const [earlier, later] = endLines(manifestOf(repo.dir, runId));
  assert.deepEqual(later?.conflicts, []);
  assert.deepEqual(later?.overlaps, [{ job: earlier?.phase, files: ['f.txt'] }]);
  assert.deepEqual(earlier?.overlaps ?? [], []);
  const merged = git(repo.dir, 'show', `refs/parex/${runId}/result:f.txt`);
  assert.match(merged, /^TOP$/m);
  assert.match(merged, /^BOTTOM$/m);
});

test('apply refuses, naming the files, when the user changed the same lines since the run; nothing changes', async (t) => {
  const repo = testRepo(t, { 'f.txt': lines(5), 'g.txt': 'g\n' });
  const run = await runCli(
    ['exec', '--isolate', '--', "sed -i 's/^line 3$/JOB/' f.txt; echo more >> g.txt"],
    {
      cwd: repo.dir,
      env: repo.env,
    },
  );
  assert.equal(run.code, 0, run.stderr);
  writeFileSync(path.join(repo.dir, 'f.txt'), lines(5).replace('line 3', 'MINE'));
  const before = userState(repo.dir);
  const applied = await runCli(['apply'], { cwd: repo.dir });
  assert.equal(applied.code, 1);
  assert.match(applied.stderr, /did not apply .* conflict with it in f\.txt/);
  assert.match(applied.stderr, /nothing was changed/);
  assert.equal(userState(repo.dir), before);
  // A change elsewhere in the file merges: the user's edit and the job's both stay.
  writeFileSync(path.join(repo.dir, 'f.txt'), lines(5).replace('line 5', 'MINE'));
  const again = await runCli(['apply'], { cwd: repo.dir });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(
    readFileSync(path.join(repo.dir, 'f.txt'), 'utf8'),
    lines(5).replace('line 3', 'JOB').replace('line 5', 'MINE'),
  );
  assert.equal(readFileSync(path.join(repo.dir, 'g.txt'), 'utf8'), 'g\nmore\n');
});

test('a failed job: its work is still committed, its worktree kept and named in the summary; --apply does nothing', async (t) => {
  const repo = testRepo(t, { 'f.txt': 'f\n' });
  const run = await runCli(
    [
      'exec',
      '--isolate',
      '--apply',
      '--names',
      'good,bad',
      '--',
      'echo good > good.txt',
      'echo half > half.txt; exit 3',
    ],
    {
      cwd: repo.dir,
      env: repo.env,
    },
  );
  assert.equal(run.code, 1, run.stderr);
  const runId = runIdOf(run.stderr);
  const bad = onlyLineOf(endLines(manifestOf(repo.dir, runId)), 'bad');
  assert.equal(bad.outcome, 'failed');
  assert.deepEqual(bad.changed_files, ['half.txt']);
  assert.match(
    git(repo.dir, 'log', '-1', '--format=%s', String(bad.commit)),
    /bad \(run .*\): failed/,
  );
  assert.ok(
    existsSync(path.join(String(bad.workspace), 'half.txt')),
    "the failed job's worktree was removed",
  );
  assert.match(run.stderr, new RegExp(`worktree of bad kept: ${String(bad.workspace)}`));
  assert.match(run.stderr, /--apply: not applied/);
  assert.equal(existsSync(path.join(repo.dir, 'good.txt')), false);
  // The result has the good job only.
  assert.equal(git(repo.dir, 'show', `refs/parex/${runId}/result:good.txt`), 'good');
  assert.throws(() => git(repo.dir, 'cat-file', '-e', `refs/parex/${runId}/result:half.txt`));
});

test('--apply applies the result when every job succeeded; a job that changed nothing records changed_files []', async (t) => {
  const repo = testRepo(t, { 'f.txt': 'f\n' });
  const run = await runCli(
    ['exec', '--isolate', '--apply', '--names', 'edit,idle', '--', 'echo new > new.txt', 'true'],
    {
      cwd: repo.dir,
      env: repo.env,
    },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.equal(readFileSync(path.join(repo.dir, 'new.txt'), 'utf8'), 'new\n');
  const idle = onlyLineOf(endLines(manifestOf(repo.dir, runIdOf(run.stderr))), 'idle');
  assert.deepEqual(idle.changed_files, []);
  assert.equal(idle.commit, idle.base_commit);
});

test('isolation in a directory that is not a git repository: exit 2 saying git init, nothing run or written', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'work'));
  const run = await runCli(['exec', '--isolate', '--', 'touch ran.txt'], {
    cwd: path.join(dir, 'work'),
  });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /needs a git repository/);
  assert.match(run.stderr, /git init/);
  assert.deepEqual(readdirSync(path.join(dir, 'work')), []);
});

test('--worktrees-dir puts the worktrees there', async (t) => {
  const repo = testRepo(t, { 'f.txt': 'f\n' });
  const trees = path.join(path.dirname(repo.dir), 'trees');
  const run = await runCli(['exec', '--worktrees-dir', trees, '--', 'pwd; exit 1'], {
    cwd: repo.dir,
    env: repo.env,
  });
  assert.equal(run.code, 1, run.stderr);
  const runId = runIdOf(run.stderr);
  assert.ok(existsSync(path.join(trees, runId, 'job1', 'f.txt')));
  assert.equal(existsSync(repo.cache), false);
});

test("parex clean removes an isolated run's kept worktrees, its parex/ branches and refs/parex/ refs", async (t) => {
  const repo = testRepo(t, { 'f.txt': 'f\n' });
  const run = await runCli(
    ['exec', '--isolate', '--names', 'ok,bad', '--', 'echo 1 > one.txt', 'exit 1'],
    {
      cwd: repo.dir,
      env: repo.env,
    },
  );
  assert.equal(run.code, 1, run.stderr);
  const runId = runIdOf(run.stderr);
  const bad = onlyLineOf(endLines(manifestOf(repo.dir, runId)), 'bad');
  assert.ok(existsSync(String(bad.workspace)));
  assert.ok(parexRefs(repo.dir).length >= 4);
  const cleaned = await runCli(['clean', '--keep', '0'], { cwd: repo.dir });
  assert.equal(cleaned.code, 0, cleaned.stderr);
  assert.match(cleaned.stdout, /removed 1 worktree and \d+ git refs/);
  assert.deepEqual(parexRefs(repo.dir), []);
  assert.equal(existsSync(String(bad.workspace)), false);
  assert.equal(git(repo.dir, 'worktree', 'list').split('\n').length, 1);
});
