// A worker taking an isolated job's start from a bundle (real git): an incremental bundle for
// the commits its copy has; one whose prerequisites the copy lacks is asked for again whole.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { takeStart } from '../../src/pool/remote-workspace.js';
import { createBundle, hasCommit, knownCommits } from '../../src/workspace/bundle.js';
import { git } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';

const START = 'refs/parex/run1/start/job';

/** A coordinator repository with three commits (start on the third) and an empty bare copy. */
function repos(t: Parameters<typeof tempDir>[0]) {
  const dir = tempDir(t);
  const coordinator = path.join(dir, 'repo');
  mkdirSync(coordinator);
  git(coordinator, 'init', '-q', '-b', 'main');
  const commits: string[] = [];
  for (const n of [1, 2, 3]) {
    writeFileSync(path.join(coordinator, `f${n}.txt`), `${'x'.repeat(5000)}${n}\n`);
    git(coordinator, 'add', '-A');
    git(coordinator, 'commit', '-q', '-m', `commit ${n}`);
    commits.push(git(coordinator, 'rev-parse', 'HEAD'));
  }
  git(coordinator, 'update-ref', START, 'HEAD');
  const copy = path.join(dir, 'copy.git');
  git(dir, 'init', '-q', '--bare', copy);
  // The copy has the first commit only.
  git(copy, 'fetch', '-q', coordinator, `${commits[0]}:refs/heads/old`);
  return { coordinator, copy, commits };
}

/** The coordinator's side: a bundle of the start without what it knows of `have`. */
function asker(coordinator: string, asked: string[][]) {
  return async (have: readonly string[], file: string) => {
    asked.push([...have]);
    const known = await knownCommits(coordinator, have);
    await createBundle(coordinator, file, START, known);
    return known.length === 0;
  };
}

test('an incremental bundle for what the copy has: only the new commits travel', async (t) => {
  const { coordinator, copy, commits } = repos(t);
  const asked: string[][] = [];
  const got = await takeStart(copy, START, [String(commits[0])], asker(coordinator, asked));
  assert.deepEqual(asked, [[commits[0]]]);
  assert.equal(got.full, false);
  assert.equal(got.refused, null);
  assert.equal(git(copy, 'rev-parse', START), commits[2]);
  const whole = await takeStart(copy, START, [], asker(coordinator, []));
  assert.ok(got.bytes < whole.bytes, `${got.bytes} < ${whole.bytes}`);
});

test('a bundle whose prerequisite the copy lacks: asked for again whole, and the job gets its start', async (t) => {
  const { coordinator, copy, commits } = repos(t);
  // The copy names a commit it does not have (e.g. lost since): the bundle needs it.
  assert.equal(await hasCommit(copy, String(commits[1])), false);
  const asked: string[][] = [];
  const got = await takeStart(copy, START, [String(commits[1])], asker(coordinator, asked));
  assert.deepEqual(asked, [[commits[1]], []]);
  assert.equal(got.full, true);
  assert.match(String(got.refused), /lacks these prerequisite commits|prerequisite/i);
  assert.equal(git(copy, 'rev-parse', START), commits[2]);
  assert.equal(await hasCommit(copy, String(commits[2])), true);
});
