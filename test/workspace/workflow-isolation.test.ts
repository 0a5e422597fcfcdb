// Workflows with isolation: worktree: dependents start from their needs' commits merged,
// conflicting needs fail the dependent as `conflict`, set-up of worktrees, agents in worktrees.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { agentProject, writes } from '../helpers/agents.js';
import { runCli } from '../helpers/cli.js';
import { endLines, onlyLineOf, runIdOf } from '../helpers/exec.js';
import { git, lines, parexRefs, testRepo, userState, writeFiles } from '../helpers/git.js';
import { manifestLines } from '../helpers/manifest.js';

function flow(...body: string[]): string {
  return `${['name: flow', 'dirs: { logs: .parex/logs }', ...body].join('\n')}\n`;
}

function ends(dir: string) {
  return endLines(manifestLines(path.join(dir, '.parex/logs/manifest.jsonl')));
}

test("a dependent starts from the base plus both needs' commits; its outputs are checked in its worktree", async (t) => {
  const repo = testRepo(t, { 'f.txt': lines(10) });
  writeFiles(repo.dir, {
    'flow.yaml': flow(
      'defaults: { agent: command, isolation: worktree }',
      'phases:',
      "  - { id: a, command: 'echo A > a.txt', outputs: [a.txt] }",
      "  - { id: b, command: 'sleep 0.3; echo B > b.txt', outputs: [b.txt] }",
      "  - { id: both, needs: [a, b], command: 'cat a.txt b.txt > both.txt', outputs: [both.txt] }",
    ),
  });
  git(repo.dir, 'add', 'flow.yaml');
  git(repo.dir, 'commit', '-qm', 'flow');
  const before = userState(repo.dir);
  const run = await runCli(['run', 'flow.yaml'], { cwd: repo.dir, env: repo.env });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(userState(repo.dir), before);
  assert.equal(existsSync(path.join(repo.dir, 'both.txt')), false);
  const both = onlyLineOf(ends(repo.dir), 'both');
  assert.deepEqual(both.changed_files, ['both.txt']);
  assert.deepEqual(both.outputs, [{ path: 'both.txt', size: 4, ok: true }]);
  const runId = String(both.run_id);
  assert.equal(git(repo.dir, 'show', `refs/parex/${runId}/result:both.txt`), 'A\nB');
  // The start of `both` is a merge of a's and b's commits.
  const [a, b] = ['a', 'b'].map((id) => String(onlyLineOf(ends(repo.dir), id).commit));
  const parents = git(repo.dir, 'log', '-1', '--format=%P', String(both.base_commit)).split(' ');
  assert.deepEqual(parents, [a, b]);
});

test('needs whose work conflicts: the dependent does not start (conflict, naming jobs and files), exit 1, status and report show it', async (t) => {
  const repo = testRepo(t, { 'f.txt': lines(10) });
  writeFiles(repo.dir, {
    'flow.yaml': flow(
      'defaults: { agent: command, isolation: worktree }',
      'phases:',
      '  - { id: left, command: "sed -i \'s/^line 4$/LEFT/\' f.txt" }',
      '  - { id: right, command: "sleep 0.3; sed -i \'s/^line 4$/RIGHT/\' f.txt" }',
      "  - { id: join, needs: [left, right], command: 'touch joined.txt' }",
    ),
  });
  const run = await runCli(['run', 'flow.yaml'], { cwd: repo.dir, env: repo.env });
  assert.equal(run.code, 1, run.stderr);
  // The one of left and right that parex saw finish second (its completion line comes second;
  // right sleeps 0.3 s first, but a loaded machine may start left later than that) finds the
  // conflict with the other.
  const [earlier, later] = ends(repo.dir)
    .map((line) => String(line.phase))
    .filter((phase) => phase === 'left' || phase === 'right');
  assert.deepEqual([earlier, later].sort(), ['left', 'right']);
  assert.match(run.stderr, new RegExp(`warning: ${later} and ${earlier} conflict in f\\.txt`));
  assert.deepEqual(onlyLineOf(ends(repo.dir), String(earlier)).conflicts, []);
  assert.deepEqual(onlyLineOf(ends(repo.dir), String(later)).conflicts, [
    { job: earlier, files: ['f.txt'], hunks: 1 },
  ]);
  assert.match(
    run.stderr,
    /join.*CONFLICT \(the work of left and right, which join needs, conflicts in f\.txt\)/,
  );
  const join = onlyLineOf(ends(repo.dir), 'join');
  assert.equal(join.outcome, 'conflict');
  assert.equal(join.status, 'failed');
  assert.equal(join.pid, null);
  assert.deepEqual(join.conflicts, [{ jobs: ['left', 'right'], files: ['f.txt'] }]);
  const status = await runCli(['status', '.parex/logs'], { cwd: repo.dir });
  assert.match(status.stdout, /join +CONFLICT/);
  assert.ok(status.stdout.includes(`conflict: ${earlier} x ${later} in f.txt`), status.stdout);
  const report = await runCli(['report', '.parex/logs'], { cwd: repo.dir });
  assert.match(
    report.stdout,
    new RegExp(
      `## Conflicts\\n\\n\\| job \\| conflicts with \\| files \\|\\n\\|---\\|---\\|---\\|\\n\\| ${later} \\| ${earlier} \\| f\\.txt \\|`,
    ),
  );
});

test('workspace copy, link and setup: ignored files brought in and left out of the commit; a failing setup is setup_failed', async (t) => {
  const repo = testRepo(t, { '.gitignore': '.env\nnode_modules/\n', 'f.txt': 'f\n' });
  writeFiles(repo.dir, { '.env': 'TOKEN=1\n', 'node_modules/dep/index.js': 'dep\n' });
  writeFiles(repo.dir, {
    'flow.yaml': flow(
      'defaults:',
      '  agent: command',
      '  isolation: worktree',
      '  workspace: { copy: [.env], link: [node_modules], setup: "echo set up > setup-ran.txt; echo setting up" }',
      'phases:',
      "  - { id: use, command: 'cat .env node_modules/dep/index.js setup-ran.txt > used.txt' }",
      '  - id: broken',
      "    command: 'touch never.txt'",
      "    workspace: { setup: 'echo failing; exit 4' }",
      '  - id: slow',
      "    command: 'touch never.txt'",
      "    workspace: { setup: 'sleep 30', setup_timeout: 1 }",
    ),
  });
  const run = await runCli(['run', 'flow.yaml', '--kill-after', '1'], {
    cwd: repo.dir,
    env: repo.env,
  });
  assert.equal(run.code, 1, run.stderr);
  const all = ends(repo.dir);
  const use = onlyLineOf(all, 'use');
  assert.equal(use.outcome, 'success', `${run.stderr}\n${JSON.stringify(use)}`);
  assert.equal(typeof use.commit, 'string', JSON.stringify(use));
  assert.equal(git(repo.dir, 'show', `${String(use.commit)}:used.txt`), 'TOKEN=1\ndep\nset up');
  assert.deepEqual([...(use.changed_files as string[])].sort(), ['setup-ran.txt', 'used.txt']);
  assert.equal(readFileSync(String(use.setup_log), 'utf8'), 'setting up\n');
  const broken = onlyLineOf(all, 'broken');
  assert.equal(broken.outcome, 'setup_failed');
  assert.match(String(broken.reason), /workspace setup "echo failing; exit 4" exited 4/);
  assert.equal(
    readFileSync(path.join(repo.dir, '.parex/logs/broken.setup.log'), 'utf8'),
    'failing\n',
  );
  assert.equal(existsSync(path.join(String(broken.workspace), 'never.txt')), false);
  assert.match(run.stderr, /worktree of broken kept/);
  const slow = onlyLineOf(all, 'slow');
  assert.equal(slow.outcome, 'setup_failed');
  assert.match(String(slow.reason), /timed out after 1s/);
});

test('agents in worktrees: gemini gets --skip-trust, codex writes -o in the log directory, not into the commit', async (t) => {
  const project = agentProject(t, {
    'p.md': 'Phase ${PHASE_NAME}\n',
    'flow.yaml': flow(
      'defaults: { isolation: worktree }',
      'phases:',
      '  - { id: g, agent: gemini, prompt: p.md, approval_mode: yolo, outputs: [g.md] }',
      '  - { id: c, agent: codex, prompt: p.md, sandbox: workspace-write, outputs: [c.md] }',
      '  - { id: k, agent: claude, prompt: p.md, permission_mode: acceptEdits, outputs: [k.md] }',
    ),
  });
  git(project.dir, 'init', '-q', '-b', 'main');
  project.script('g', writes('g.md', 'gemini was here'));
  project.script('c', writes('c.md', 'codex was here'));
  project.script('k', writes('k.md', 'claude was here'));
  // The fakes' scripts and log are the test's, not the user's work: keep them out of the base.
  writeFileSync(path.join(project.dir, '.gitignore'), '.fake-scripts/\n.fake-agents.jsonl\n');
  const cache = path.join(project.dir, '..', `${path.basename(project.dir)}-cache`);
  const run = await runCli(['run', 'flow.yaml'], {
    cwd: project.dir,
    env: { ...project.env, FAKE_GEMINI_UNTRUSTED: '1', XDG_CACHE_HOME: cache },
  });
  assert.equal(run.code, 0, run.stderr);
  const gemini = project.invocations().find((call) => call.agent === 'gemini');
  assert.ok(((gemini?.argv ?? []) as string[]).includes('--skip-trust'));
  const all = ends(project.dir);
  const c = onlyLineOf(all, 'c');
  assert.deepEqual(c.changed_files, ['c.md']);
  assert.ok(existsSync(path.join(project.dir, '.parex/logs/c.last-message.md')));
  for (const id of ['g', 'k']) assert.deepEqual(onlyLineOf(all, id).changed_files, [`${id}.md`]);
  const runId = runIdOf(run.stderr);
  assert.equal(git(project.dir, 'show', `refs/parex/${runId}/result:k.md`), 'claude was here');
});

test('parex clean removes the workspaces of workflow runs whose logs are elsewhere, by the same rules, and leaves their logs', async (t) => {
  const repo = testRepo(t, { 'f.txt': lines(10) });
  writeFiles(repo.dir, {
    'flow.yaml': flow(
      'defaults: { agent: command, isolation: worktree }',
      'phases:',
      "  - { id: edit, command: 'echo E > e.txt' }",
      "  - { id: bad, command: 'echo B > b.txt; exit 3' }",
    ),
  });
  git(repo.dir, 'add', 'flow.yaml');
  git(repo.dir, 'commit', '-qm', 'flow');
  const first = await runCli(['run', 'flow.yaml'], { cwd: repo.dir, env: repo.env });
  assert.equal(first.code, 1, first.stderr);
  const second = await runCli(['run', 'flow.yaml'], { cwd: repo.dir, env: repo.env });
  assert.equal(second.code, 1, second.stderr);
  const runIds = [...new Set(ends(repo.dir).map((line) => String(line.run_id)))];
  assert.equal(runIds.length, 2);
  const [older, newer] = runIds as [string, string];
  const kept = String(
    onlyLineOf(
      ends(repo.dir).filter((l) => l.run_id === older),
      'bad',
    ).workspace,
  );
  assert.ok(existsSync(kept), 'the failed job keeps its worktree');
  const refsOf = (runId: string) => parexRefs(repo.dir).filter((ref) => ref.includes(`/${runId}/`));
  assert.ok(refsOf(older).length > 0 && refsOf(newer).length > 0);

  const dry = await runCli(['clean', '--keep', '1', '--dry-run'], { cwd: repo.dir, env: repo.env });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(
    dry.stdout,
    new RegExp(
      `^would remove the workspaces of run ${older} \\(1 worktree, \\d+ git refs\\); its logs in .+ stay$`,
      'm',
    ),
  );
  assert.doesNotMatch(dry.stdout, new RegExp(newer));
  assert.ok(refsOf(older).length > 0, '--dry-run removed nothing');

  const cleaned = await runCli(['clean', '--keep', '1'], { cwd: repo.dir, env: repo.env });
  assert.equal(cleaned.code, 0, cleaned.stderr);
  assert.deepEqual(refsOf(older), []);
  assert.equal(existsSync(kept), false);
  assert.ok(refsOf(newer).length > 0, 'the newest run keeps its workspaces');
  // The workflow's logs are never removed by clean.
  assert.ok(existsSync(path.join(repo.dir, '.parex/logs/manifest.jsonl')));
});
