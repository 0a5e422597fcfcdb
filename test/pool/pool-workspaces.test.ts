// Isolated jobs on a pool: a real redis-server, two `parex worker`s (each its own --workdir, one
// serving tag `left`, one `right`), the coordinator's repository in a third directory with a
// bare repository as its remote. Starts travel as bundles of what a worker's cached clone lacks,
// commits come back as bundles under refs/parex/RUN/job/JOB; conflicts, results and apply work
// as in a local run.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, type TestContext, test } from 'node:test';

import { agentProject, writes } from '../helpers/agents.js';
import { runCli } from '../helpers/cli.js';
import { endLines, onlyLineOf, parexEnv, runIdOf } from '../helpers/exec.js';
import { git, lines, parexRefs, userState, writeFiles } from '../helpers/git.js';
import { manifestLines } from '../helpers/manifest.js';
import { FIXTURES } from '../helpers/paths.js';
import { startRedis, startWorker, type TestRedis, type TestWorker } from '../helpers/pool.js';

let redis: TestRedis;
let left: TestWorker;
let right: TestWorker;
let root: string;

before(async () => {
  redis = await startRedis();
  root = mkdtempSync(path.join(tmpdir(), 'parex-pool-ws-'));
  const env = {
    PATH: `${FIXTURES}/bin:${process.env.PATH ?? ''}`,
    FAKE_AGENT_ALLOW_ALL_WRITES: '1',
  };
  // One job at a time each, so that two jobs side by side run on both workers.
  [left, right] = await Promise.all([
    startWorker(redis.url, 'wl', root, ['--concurrency', '1', '--tags', 'left'], env),
    startWorker(redis.url, 'wr', root, ['--concurrency', '1', '--tags', 'right'], env),
  ]);
});

after(async () => {
  await Promise.all([left.stop(), right.stop()]);
  await redis.stop();
  rmSync(root, { recursive: true, force: true });
});

/** The coordinator's repository (in `dir`/repo), with `files` committed; with a remote (a bare
 * repository, named by a relative path as users often do) it is pushed there. */
function coordinatorRepo(dir: string, files: Record<string, string | Buffer>, remote: boolean) {
  const repo = path.join(dir, 'repo');
  mkdirSync(repo, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    writeFileSync(path.join(repo, name), data);
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'initial');
  if (remote) {
    git(dir, 'init', '-q', '--bare', 'remote.git');
    git(repo, 'remote', 'add', 'origin', '../remote.git');
    git(repo, 'push', '-q', 'origin', 'main');
  }
  return { repo, env: { ...parexEnv(null), XDG_CACHE_HOME: path.join(dir, 'cache') } };
}

function tempRoot(t: TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'parex-coord-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function ends(repo: string, runId: string) {
  return endLines(manifestLines(path.join(repo, '.parex/runs', runId, 'manifest.jsonl')));
}

/** The completion lines of run `runId` of a workflow logging to .parex/logs. */
function flowEnds(repo: string, runId: string) {
  const all = endLines(manifestLines(path.join(repo, '.parex/logs/manifest.jsonl')));
  return all.filter((line) => line.run_id === runId);
}

/** Writes flow.yaml (`body` after its name and log directory) and runs it on the pool. */
function runFlowOnPool(repo: string, env: NodeJS.ProcessEnv, body?: readonly string[]) {
  if (body !== undefined) {
    writeFiles(repo, {
      'flow.yaml': ['name: flow', 'dirs: { logs: .parex/logs }', ...body, ''].join('\n'),
    });
  }
  return runCli(['run', 'flow.yaml', '--redis', redis.url], { cwd: repo, env, limitMs: 60_000 });
}

/** Lines of a worker's output about repository clones it made. */
function clones(worker: TestWorker): string[] {
  return worker
    .output()
    .split('\n')
    .filter((line) => /\] repository \S+: /.test(line));
}

test('an isolated exec on two workers: commits arrive under refs/parex/RUN/job/JOB, conflicts are found as locally; a clean run has a result that apply brings', async (t) => {
  const dir = tempRoot(t);
  const { repo, env } = coordinatorRepo(dir, { 'f.txt': lines(10), 'a.txt': 'a\n' }, true);
  const pooled = (names: string, ...commands: string[]) =>
    runCli(
      [
        'exec',
        ...['--isolate', '--redis', redis.url, '--worktrees-dir', path.join(dir, 'wt')],
        ...['--names', names, '--', ...commands],
      ],
      { cwd: repo, env, limitMs: 60_000 },
    );
  const run = await pooled(
    'first,second,third',
    "sleep 1; sed -i 's/^line 2$/FIRST/' f.txt",
    "sleep 1.5; sed -i 's/^line 2$/SECOND/' f.txt",
    'echo kept > kept.txt; exit 3',
  );
  assert.equal(run.code, 1, run.stderr);
  const runId = runIdOf(run.stderr);
  const all = ends(repo, runId);
  // The job the coordinator saw finish second (second sleeps longer, but two loaded workers
  // that clone and bundle may swap them) records the conflict with the other.
  const [earlier, later] = all
    .map((line) => String(line.phase))
    .filter((name) => name === 'first' || name === 'second');
  assert.ok(
    run.stderr.includes(`warning: ${later} and ${earlier} conflict in f.txt (1 hunk)`),
    run.stderr,
  );
  const first = onlyLineOf(all, 'first');
  const second = onlyLineOf(all, 'second');
  const workers = [first, second].map((line) => (line.worker as { name: string }).name);
  assert.deepEqual(workers.sort(), ['wl', 'wr'], 'each worker ran one of the two');
  for (const [line, text] of [
    [first, 'FIRST'],
    [second, 'SECOND'],
  ] as const) {
    assert.equal(line.outcome, 'success');
    assert.equal(git(repo, 'rev-parse', `refs/parex/${runId}/job/${line.phase}`), line.commit);
    assert.match(git(repo, 'show', `${String(line.commit)}:f.txt`), new RegExp(`^${text}$`, 'm'));
    assert.deepEqual(line.changed_files, ['f.txt']);
    assert.equal(line.bundle_full, false, 'the workers cloned from the remote');
    assert.ok(Number(line.bundle_returned_bytes) > 0);
  }
  assert.deepEqual(onlyLineOf(all, String(earlier)).conflicts, []);
  assert.deepEqual(onlyLineOf(all, String(later)).conflicts, [
    { job: earlier, files: ['f.txt'], hunks: 1 },
  ]);
  // A failed job's commit is checked out here and kept for the user, as in a local run.
  const third = onlyLineOf(all, 'third');
  assert.equal(third.outcome, 'failed');
  const kept = path.join(dir, 'wt', runId, 'third');
  assert.equal(readFileSync(path.join(kept, 'kept.txt'), 'utf8'), 'kept\n');
  assert.equal(git(kept, 'rev-parse', 'HEAD'), third.commit);
  assert.equal(git(repo, 'rev-parse', `parex/${runId}/job/third`), third.commit);
  assert.equal(parexRefs(repo).includes(`refs/parex/${runId}/result`), false);

  // Side by side on different files, with the user's uncommitted work: a result, and apply.
  writeFileSync(path.join(repo, 'notes.txt'), 'untracked notes\n');
  const before = userState(repo);
  // Two waits for one's completion line, then lists the coordinator's worktrees of the run:
  // none is made for a job whose directory nothing reads here.
  const manifests = path.join(repo, '.parex/runs/*/manifest.jsonl');
  const clean = await pooled(
    'one,two',
    'sleep 1; cat notes.txt > seen.txt; echo one >> a.txt',
    `for i in $(seq 300); do grep -s '"phase":"one"' ${manifests} | grep -q '"outcome"' && break; sleep 0.1; done; echo "worktrees: $(ls -A ${path.join(dir, 'wt')}/*/ 2>&1 | tr '\n' ' ')"; sed -i 's/^line 9$/NINE/' f.txt`,
  );
  assert.equal(clean.code, 0, clean.stderr);
  assert.equal(userState(repo), before, "the run changed the user's tree");
  const cleanId = runIdOf(clean.stderr);
  const listed = readFileSync(path.join(repo, '.parex/runs', cleanId, 'two.log'), 'utf8');
  assert.doesNotMatch(listed, /\bone\b/, listed);
  assert.match(listed, /^worktrees: /m);
  const one = onlyLineOf(ends(repo, cleanId), 'one');
  assert.equal(git(repo, 'rev-parse', `parex/${cleanId}/job/one`), one.commit, 'its branch');
  const result = `refs/parex/${cleanId}/result`;
  assert.equal(git(repo, 'show', `${result}:seen.txt`), 'untracked notes');
  const applied = await runCli(['apply'], { cwd: repo });
  assert.equal(applied.code, 0, applied.stderr);
  assert.equal(readFileSync(path.join(repo, 'a.txt'), 'utf8'), 'a\none\n');
  assert.match(readFileSync(path.join(repo, 'f.txt'), 'utf8'), /^NINE$/m);
  assert.equal(readFileSync(path.join(repo, 'seen.txt'), 'utf8'), 'untracked notes\n');
  // The coordinator's worktrees of good jobs are gone; the workers' too.
  assert.equal(existsSync(path.join(dir, 'wt', cleanId)), false);
  for (const worker of [left, right]) {
    assert.equal(
      existsSync(path.join(worker.workdir, '.parex/worktrees', cleanId, 'one.1')),
      false,
    );
  }
});

test('a fake agent edits files on one worker, its dependent starts from that commit on the other; a second run reuses the cached clones', async (t) => {
  const project = agentProject(t, {
    'p.md': 'Draft the notes.\n',
    '.gitignore': '.fake-scripts/\n.fake-agents.jsonl\n.parex/\n',
    'flow.yaml': [
      'name: flow',
      'dirs: { logs: .parex/logs }',
      'defaults: { isolation: worktree }',
      'phases:',
      '  - { id: draft, agent: claude, prompt: p.md, permission_mode: acceptEdits, runs_on: [left], outputs: [notes/draft.md] }',
      "  - { id: review, agent: command, needs: [draft], runs_on: [right], command: 'cat notes/draft.md > review.txt', outputs: [review.txt] }",
      '',
    ].join('\n'),
  });
  project.script('draft', writes('notes/draft.md', '# Draft', 'written by claude'));
  // A big file in the pushed history: the workers clone it, it is not in any bundle.
  const big = randomBytes(300 * 1024);
  const dir = path.dirname(project.dir);
  const { repo, env } = coordinatorRepo(
    path.join(dir, `${path.basename(project.dir)}-c`),
    {
      'big.bin': big,
    },
    true,
  );
  for (const name of ['p.md', '.gitignore', 'flow.yaml']) {
    writeFileSync(path.join(repo, name), readFileSync(path.join(project.dir, name)));
  }
  const runFlow = () =>
    runCli(['run', 'flow.yaml', '--redis', redis.url, '--pass-env', 'FAKE_*'], {
      cwd: repo,
      env: { ...env, ...project.env },
      limitMs: 90_000,
    });
  const clonesBefore = [left, right].map((worker) => clones(worker).length);
  const run = await runFlow();
  assert.equal(run.code, 0, run.stderr);
  const runId = runIdOf(run.stderr);
  const all = flowEnds(repo, runId);
  const draft = onlyLineOf(all, 'draft');
  const review = onlyLineOf(all, 'review');
  assert.deepEqual(draft.worker, { name: 'wl', host: (draft.worker as { host: string }).host });
  assert.equal((review.worker as { name: string }).name, 'wr');
  assert.deepEqual(draft.changed_files, ['notes/draft.md']);
  assert.deepEqual(draft.outputs, [{ path: 'notes/draft.md', size: 26, ok: true }]);
  // review started from draft's commit, made on the other worker, sent to it incrementally.
  assert.equal(review.base_commit, draft.commit);
  assert.equal(review.bundle_full, false);
  assert.ok(Number(draft.bundle_sent_bytes) < big.length / 2, 'the clone brought the big file');
  assert.equal(
    git(repo, 'show', `refs/parex/${runId}/result:review.txt`),
    '# Draft\nwritten by claude',
  );
  assert.equal(
    git(repo, 'show', `refs/parex/${runId}/job/review:review.txt`),
    '# Draft\nwritten by claude',
  );
  assert.match(right.output(), new RegExp(`${runId}/review: got its start as an incremental`));

  const again = await runFlow();
  assert.equal(again.code, 0, again.stderr);
  const againId = runIdOf(again.stderr);
  const later = flowEnds(repo, againId);
  for (const line of later) assert.equal(line.bundle_full, false);
  // Each worker cloned the repository once, in the first run.
  const clonesAfter = [left, right].map((worker) => clones(worker).length);
  assert.ok(clonesAfter.every((count, index) => count <= (clonesBefore[index] ?? 0) + 1));
  assert.ok(
    [left, right].every((worker) =>
      clones(worker).some((line) =>
        line.includes(`cloned from ${path.join(path.dirname(repo), 'remote.git')}`),
      ),
    ),
  );
});

test('no remote URL: the first start travels as a full bundle, later ones as small incremental ones from the cached clone', async (t) => {
  const dir = tempRoot(t);
  const big = randomBytes(200 * 1024);
  const { repo, env } = coordinatorRepo(dir, { 'big.bin': big, 'f.txt': 'f\n' }, false);
  const first = await runFlowOnPool(repo, env, [
    'defaults: { agent: command, isolation: worktree }',
    'phases:',
    "  - { id: edit, runs_on: [left], command: 'echo edited >> f.txt' }",
  ]);
  assert.equal(first.code, 0, first.stderr);
  const [one] = flowEnds(repo, runIdOf(first.stderr));
  assert.equal(one?.bundle_full, true);
  assert.ok(Number(one?.bundle_sent_bytes) > big.length, JSON.stringify(one));
  assert.ok(
    clones(left).some((line) =>
      /empty, filled by a full bundle: the repository has no remote URL/.test(line),
    ),
  );
  // A change of the user's since: only the new snapshot travels.
  writeFileSync(path.join(repo, 'f.txt'), 'f changed\n');
  const second = await runFlowOnPool(repo, env);
  assert.equal(second.code, 0, second.stderr);
  const secondId = runIdOf(second.stderr);
  const [two] = flowEnds(repo, secondId);
  assert.equal(two?.bundle_full, false);
  assert.ok(Number(two?.bundle_sent_bytes) < 10 * 1024, JSON.stringify(two));
  assert.equal(git(repo, 'show', `refs/parex/${secondId}/job/edit:f.txt`), 'f changed\nedited');
});

test('set-up on a worker: copied files travel, links point into its --workdir, the setup log comes back; a failing setup is setup_failed', async (t) => {
  const dir = tempRoot(t);
  const { repo, env } = coordinatorRepo(
    dir,
    { '.gitignore': '.env\nshared\n', 'f.txt': 'f\n' },
    true,
  );
  writeFileSync(path.join(repo, '.env'), 'TOKEN=local\n');
  mkdirSync(path.join(left.workdir, 'shared'), { recursive: true });
  writeFileSync(path.join(left.workdir, 'shared', 'data.txt'), 'from the worker\n');
  const run = await runFlowOnPool(repo, env, [
    'defaults:',
    '  agent: command',
    '  isolation: worktree',
    "  workspace: { copy: [.env], link: [shared], setup: 'echo setting up; cat .env' }",
    'phases:',
    "  - { id: use, runs_on: [left], command: 'cat .env shared/data.txt > used.txt' }",
    "  - { id: broken, runs_on: [left], workspace: { setup: 'echo no; exit 3' }, command: 'touch never.txt' }",
  ]);
  assert.equal(run.code, 1, run.stderr);
  const runId = runIdOf(run.stderr);
  const all = flowEnds(repo, runId);
  const use = onlyLineOf(all, 'use');
  assert.equal(use.outcome, 'success', JSON.stringify(use));
  assert.equal(
    git(repo, 'show', `refs/parex/${runId}/job/use:used.txt`),
    'TOKEN=local\nfrom the worker',
  );
  // What was copied or linked in is not part of the job's commit.
  assert.deepEqual(use.changed_files, ['used.txt']);
  assert.equal(readFileSync(String(use.setup_log), 'utf8'), 'setting up\nTOKEN=local\n');
  const broken = onlyLineOf(all, 'broken');
  assert.equal(broken.outcome, 'setup_failed');
  assert.match(
    String(broken.reason),
    /workspace setup "echo no; exit 3" exited 3 \(failed\) on worker wl/,
  );
  assert.equal(readFileSync(String(broken.setup_log), 'utf8'), 'no\n');
  assert.equal(broken.commit, null);
});

test('best-of-2 on the pool: candidates run on the workers, the judge runs in their commits here, the dependent starts from the winner', async (t) => {
  const dir = tempRoot(t);
  const { repo, env } = coordinatorRepo(dir, { 'f.txt': 'f\n' }, true);
  const run = await runFlowOnPool(repo, env, [
    'defaults: { agent: command, isolation: worktree }',
    'phases:',
    '  - id: pick',
    "    candidates: [{ command: 'sleep 1; echo Score: 3/10 > s.txt' }, { command: 'sleep 1; echo Score: 8/10 > s.txt' }]",
    '    judge: { score: s.txt }',
    "  - { id: after, needs: [pick], command: 'cat s.txt > seen.txt' }",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const runId = runIdOf(run.stderr);
  const all = flowEnds(repo, runId);
  const workers = ['pick-c1', 'pick-c2'].map(
    (id) => (onlyLineOf(all, id).worker as { name: string }).name,
  );
  assert.deepEqual(workers.sort(), ['wl', 'wr']);
  assert.equal(onlyLineOf(all, 'pick-c2').score, 8);
  assert.equal(git(repo, 'show', `refs/parex/${runId}/result:seen.txt`), 'Score: 8/10');
});
