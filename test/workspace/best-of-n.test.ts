// Best-of-N: candidates run at once in their own worktrees, a judge (command, score file or agent)
// picks the winner, ties go to the smaller diff, and dependents start from the winner's commit.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { agentProject, runInRepo, scriptHappyPrp, writes } from '../helpers/agents.js';
import { runCli } from '../helpers/cli.js';
import { endLines, onlyLineOf } from '../helpers/exec.js';
import { git, testRepo, writeFiles } from '../helpers/git.js';
import { manifestLines } from '../helpers/manifest.js';

function ends(dir: string) {
  return endLines(manifestLines(path.join(dir, '.parex/logs/manifest.jsonl')));
}

const HEAD = [
  'name: best',
  'dirs: { logs: .parex/logs }',
  'defaults: { agent: command, isolation: worktree }',
  'phases:',
];

test('best-of-3 with a command judge: the best score wins, a tie goes to the smaller diff, the dependent starts from the winner', async (t) => {
  const repo = testRepo(t, { 'f.txt': 'f\n' });
  writeFiles(repo.dir, {
    'flow.yaml': [
      ...HEAD,
      '  - id: fix',
      '    candidates:',
      '      - { command: \'printf "a\\nb\\nc\\n" > fix.txt; echo 9 > score\' }',
      "      - { command: 'echo small > fix.txt; echo 9 > score' }",
      "      - { command: 'echo low > fix.txt; echo 4 > score' }",
      '    judge: { command: \'echo "Score: $(cat score)/10"; test -s fix.txt\' }',
      "  - { id: use, needs: [fix], command: 'cat fix.txt > used.txt' }",
      '',
    ].join('\n'),
  });
  const run = await runCli(['run', 'flow.yaml'], { cwd: repo.dir, env: repo.env });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /judged {3}fix: the judge chose candidate 2 of 3 \(fix-c2, score 9\)/);
  const all = ends(repo.dir);
  const fix = onlyLineOf(all, 'fix');
  assert.equal(fix.winner, 'fix-c2');
  assert.equal(fix.commit, onlyLineOf(all, 'fix-c2').commit);
  const candidates = fix.candidates as Record<string, unknown>[];
  assert.deepEqual(
    candidates.map((c) => [c.job, c.score, c.passed, c.diff_lines, c.winner]),
    [
      ['fix-c1', 9, true, 4, false],
      ['fix-c2', 9, true, 2, true],
      ['fix-c3', 4, true, 2, false],
    ],
  );
  assert.match(readFileSync(String(candidates[0]?.judge_log), 'utf8'), /Score: 9\/10/);
  const c1 = onlyLineOf(all, 'fix-c1');
  assert.equal(c1.candidate, 1);
  assert.equal(c1.candidate_of, 'fix');
  const use = onlyLineOf(all, 'use');
  assert.equal(git(repo.dir, 'show', `${String(use.commit)}:used.txt`), 'small');
  // Only the winner is in the result; candidates of one phase are not checked against each other.
  assert.equal(git(repo.dir, 'show', `refs/parex/${String(use.run_id)}/result:fix.txt`), 'small');
  assert.doesNotMatch(run.stderr, /conflict in/);
  const report = await runCli(['report', '.parex/logs'], { cwd: repo.dir });
  assert.match(report.stdout, /## Candidates/);
  assert.match(report.stdout, /\| fix \| \*\*fix-c2\*\* \(winner\) \| success \| yes \| 9 \| 2 \|/);
});

test('best-of-3 with a score file: a failed candidate does not pass; no passing candidate fails the phase', async (t) => {
  const repo = testRepo(t, { 'f.txt': 'f\n' });
  writeFiles(repo.dir, {
    'flow.yaml': [
      ...HEAD,
      '  - id: plan',
      '    outputs: [plan.md]',
      '    candidates:',
      '      - { command: \'echo "Score: 7/10" > plan.md\' }',
      '      - { command: \'echo "Score: 10/10" > plan.md; exit 1\' }',
      '      - { command: \'echo "**Score: 8/10**" > plan.md\' }',
      '    judge: { score: plan.md }',
      '  - id: none',
      '    candidates: 2',
      "    command: 'echo no score here > none.md'",
      '    judge: { score: none.md }',
      "  - { id: after_none, needs: [none], command: 'true' }",
      '',
    ].join('\n'),
  });
  const run = await runCli(['run', 'flow.yaml'], { cwd: repo.dir, env: repo.env });
  assert.equal(run.code, 1, run.stderr);
  const all = ends(repo.dir);
  const plan = onlyLineOf(all, 'plan');
  assert.equal(plan.outcome, 'success');
  assert.equal(plan.winner, 'plan-c3');
  assert.deepEqual(
    (plan.candidates as Record<string, unknown>[]).map((c) => [c.outcome, c.passed, c.score]),
    [
      ['success', true, 7],
      ['failed', false, null],
      ['success', true, 8],
    ],
  );
  const none = onlyLineOf(all, 'none');
  assert.equal(none.outcome, 'failed');
  assert.match(String(none.reason), /no candidate passed the judge/);
  assert.equal(onlyLineOf(all, 'after_none').outcome, 'skipped');
});

test('best-of-2 with an agent judge: it reads the patches and names the winner; a judge naming none fails', async (t) => {
  const project = agentProject(t, {
    'judge.md': 'Choose.\n@fake say The second one is cleaner.\n@fake say winner: 2\n',
    'bad-judge.md': 'Choose.\n@fake say I cannot decide.\n',
    '.gitignore': '.fake-scripts/\n.fake-agents.jsonl\n',
    'flow.yaml': [
      ...HEAD,
      '  - id: pick',
      "    candidates: [{ command: 'echo one > pick.txt' }, { command: 'echo two > pick.txt' }]",
      '    judge: { agent: claude, prompt: judge.md }',
      '  - id: undecided',
      "    candidates: [{ command: 'echo one > u.txt' }, { command: 'echo two > u.txt' }]",
      '    judge: { agent: claude, prompt: bad-judge.md }',
      '',
    ].join('\n'),
  });
  const run = await runInRepo(t, project, ['run', 'flow.yaml']);
  assert.equal(run.code, 1, run.stderr);
  const all = ends(project.dir);
  const pick = onlyLineOf(all, 'pick');
  assert.equal(pick.outcome, 'success', run.stderr);
  assert.equal(pick.winner, 'pick-c2');
  assert.equal(pick.commit, onlyLineOf(all, 'pick-c2').commit);
  const judge = project
    .invocations()
    .find((call) => String(call.prompt).includes('Choose.\n@fake say The second'));
  const prompt = String(judge?.prompt);
  assert.match(prompt, /candidate 1: \S+pick-c1\.patch/);
  assert.match(prompt, /candidate 2: \S+pick-c2\.patch/);
  const patch = /candidate 2: (\S+)/.exec(prompt)?.[1] ?? '';
  assert.match(readFileSync(patch, 'utf8'), /^\+two$/m);
  const undecided = onlyLineOf(all, 'undecided');
  assert.equal(undecided.outcome, 'failed');
  assert.match(String(undecided.reason), /the judge named no candidate with a "winner: K" line/);
});

test('candidates without a judge, and a judge without candidates, are workflow errors (exit 2)', async (t) => {
  const repo = testRepo(t, { 'f.txt': 'f\n' });
  writeFiles(repo.dir, {
    'flow.yaml': [
      ...HEAD,
      "  - { id: a, command: 'true', candidates: 2 }",
      "  - { id: b, command: 'true', judge: { score: x.md } }",
      '',
    ].join('\n'),
  });
  const run = await runCli(['run', 'flow.yaml'], { cwd: repo.dir, env: repo.env });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /candidates need a "judge"/);
  assert.match(run.stderr, /a judge chooses among candidates/);
});

test('prp generate --candidates 3 runs phase 4 three ways at once and keeps the best-scoring PRP', async (t) => {
  const project = agentProject(t, {
    'prps/INITIAL_user_auth.md': '# Feature: user auth\n\nLogin with email and password.\n',
    '.gitignore': '.fake-scripts/\n.fake-agents.jsonl\n',
  });
  git(project.dir, 'init', '-q', '-b', 'main');
  scriptHappyPrp(project, 'user_auth', 9);
  for (const [index, score] of [
    [1, 6],
    [2, 9],
    [3, 8],
  ] as const) {
    // Longer than the 1 s between two starts of one agent (stagger_same_agent): they overlap.
    project.script(`phase4-c${index}`, [
      '@fake sleep 3',
      ...writes(
        'prps/user_auth.md',
        '# PRP: login',
        `candidate ${index}`,
        '',
        `**Score: ${score}/10**`,
      ),
    ]);
  }
  const cache = `${project.dir}-cache`;
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  const run = await runCli(['prp', 'generate', 'prps/INITIAL_user_auth.md', '--candidates', '3'], {
    cwd: project.dir,
    env: { ...project.env, XDG_CACHE_HOME: cache },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /PRP complete: prps\/user_auth\.md \(score 9\/10 after 1 attempt\)/);
  assert.match(readFileSync(path.join(project.dir, 'prps/user_auth.md'), 'utf8'), /candidate 2/);
  const lines = manifestLines(path.join(project.dir, 'prps/user_auth/codex/logs/manifest.jsonl'));
  const all = endLines(lines);
  assert.equal(onlyLineOf(all, 'phase4').winner, 'phase4-c2');
  assert.equal(onlyLineOf(all, 'phase4-c1').outcome, 'failed'); // 6 is below the minimum of 8
  // The three candidates ran at the same time, each from the planning files phases 1-3 wrote.
  const starts = lines.filter(
    (line) => line.status === 'started' && String(line.phase).startsWith('phase4-c'),
  );
  const ended = all.filter((line) => String(line.phase).startsWith('phase4-c'));
  const lastStart = Math.max(...starts.map((line) => Date.parse(String(line.started_at))));
  const firstEnd = Math.min(...ended.map((line) => Date.parse(String(line.ended_at))));
  assert.ok(lastStart < firstEnd, 'the candidates did not overlap');
  const c2 = onlyLineOf(all, 'phase4-c2');
  assert.equal(
    git(project.dir, 'show', `${String(c2.base_commit)}:prps/user_auth/planning/gotchas.md`),
    '# Gotchas\n1. timing attacks',
  );
});
