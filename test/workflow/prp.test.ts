import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { agentProject, scriptHappyPrp, writes } from '../helpers/agents.js';
import { runCli } from '../helpers/cli.js';
import { manifestLines } from '../helpers/manifest.js';

const INITIAL = {
  'prps/INITIAL_user_auth.md': '# Feature: user auth\n\nEmail and password login.\n',
};
const MANIFEST = 'prps/user_auth/codex/logs/manifest.jsonl';

test('parex prp generate runs the five phases with codex, 2a/2b/2c at once, and passes the gate', async (t) => {
  const project = agentProject(t, INITIAL);
  scriptHappyPrp(project, 'user_auth', 9);
  const run = await runCli(['prp', 'generate', 'prps/INITIAL_user_auth.md'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /PRP complete: prps\/user_auth\.md \(score 9\/10 after 1 attempt\)/);
  assert.ok(existsSync(path.join(project.dir, 'prps/user_auth/planning/feature-analysis.md')));
  assert.ok(existsSync(path.join(project.dir, 'prps/user_auth/examples/login.ts')));
  const lines = manifestLines(path.join(project.dir, MANIFEST));
  const ends = lines.filter((line) => line.status !== 'started');
  assert.deepEqual(
    ends.map((line) => [line.phase, line.status]).sort(),
    ['phase1', 'phase2a', 'phase2b', 'phase2c', 'phase3', 'phase4'].map((phase) => [
      phase,
      'success',
    ]),
  );
  for (const end of ends) {
    assert.equal(end.agent, 'codex');
    assert.equal(end.agent_version, 'codex-cli 0.169.0');
    assert.match(String(end.prompt_sha256), /^[0-9a-f]{64}$/);
    assert.match(String(end.session_id), /^[0-9a-f-]{36}$/);
    assert.equal(typeof end.input_tokens, 'number');
    assert.equal(end.outputs_ok, true);
    assert.equal(end.feature, 'user_auth');
    assert.equal(end.group, 'prp');
  }
  assert.equal(ends.find((line) => line.phase === 'phase4')?.score, 9);
  // The three research phases overlapped: each started before any of them ended.
  const span = (phase: string) => {
    const end = ends.find((line) => line.phase === phase);
    return [Date.parse(String(end?.started_at)), Date.parse(String(end?.ended_at))] as const;
  };
  const research = ['phase2a', 'phase2b', 'phase2c'].map(span);
  const lastStart = Math.max(...research.map(([start]) => start));
  const firstEnd = Math.min(...research.map(([, end]) => end));
  assert.ok(lastStart < firstEnd, 'phase 2a, 2b and 2c ran at the same time');
  assert.ok(span('phase3')[0] >= Math.max(...research.map(([, end]) => end)), 'phase 3 waited');
  // Each agent got exactly the argv parex documents, the prompt on stdin, and nothing else.
  const calls = project.invocations().filter((call) => (call.argv as string[])[0] === 'exec');
  assert.equal(calls.length, 6);
  for (const call of calls) {
    const argv = call.argv as string[];
    const phase = path.basename(argv[8] ?? '', '.last-message.md');
    assert.deepEqual(argv, [
      'exec',
      '--profile',
      'codex-prp',
      '-s',
      'workspace-write',
      '--skip-git-repo-check',
      '--json',
      '-o',
      `prps/user_auth/codex/logs/${phase}.last-message.md`,
      '-',
    ]);
    assert.equal(call.stdin, 'pipe');
    assert.equal(call.prompt_source, 'stdin');
    assert.equal(call.pgid, call.pid, 'each agent leads its own process group');
    const end = ends.find((line) => line.phase === phase);
    assert.equal(
      call.prompt_sha256,
      end?.prompt_sha256,
      'the agent received the prompt parex hashed',
    );
  }
  const phase2c = calls.find((call) => String(call.prompt).includes('Phase 2c'));
  assert.ok(phase2c, 'phase 2c was run');
  assert.ok(
    !String(phase2c.prompt).includes('codebase-patterns.md'),
    '2c is not told to read 2a output',
  );
});

test('the quality gate re-runs only phase 4 until the score passes, recording each attempt', async (t) => {
  const project = agentProject(t, INITIAL);
  scriptHappyPrp(project, 'user_auth');
  project.script('phase4', writes('prps/user_auth.md', '# PRP', 'Score: 6/10'), 1);
  project.script('phase4', writes('prps/user_auth.md', '# PRP, better', 'score: 8/10'), 2);
  const run = await runCli(['prp', 'generate', 'prps/INITIAL_user_auth.md'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /PRP attempt 1: score 6\/10/);
  assert.match(run.stderr, /PRP complete: prps\/user_auth\.md \(score 8\/10 after 2 attempts\)/);
  const lines = manifestLines(path.join(project.dir, MANIFEST));
  const phase4 = lines.filter((line) => line.phase === 'phase4' && line.status !== 'started');
  assert.deepEqual(
    phase4.map((line) => [line.attempt, line.score, line.status]),
    [
      [1, 6, 'failed'],
      [2, 8, 'success'],
    ],
  );
  assert.match(String(phase4[0]?.reason), /score 6\/10 in prps\/user_auth\.md, below 8/);
  const starts = lines.filter((line) => line.status === 'started').map((line) => line.phase);
  assert.deepEqual(
    starts.filter((phase) => phase === 'phase1'),
    ['phase1'],
    'phase 1 ran once',
  );
  const second = project.invocations().filter((call) => String(call.prompt).includes('attempt 2'));
  assert.equal(second.length, 1);
  assert.match(String(second[0]?.prompt), /scored 6\/10; the minimum is 8\/10/);
});

test('the gate gives up after --max-regenerations and exits 1 without calling the PRP complete', async (t) => {
  const project = agentProject(t, INITIAL);
  scriptHappyPrp(project, 'user_auth', 5);
  const run = await runCli(
    [
      'prp',
      'generate',
      'prps/INITIAL_user_auth.md',
      '--max-regenerations',
      '1',
      '--min-score',
      '7',
    ],
    { cwd: project.dir, env: project.env },
  );
  assert.equal(run.code, 1, run.stderr);
  assert.doesNotMatch(run.stderr, /PRP complete/);
  assert.match(
    run.stderr,
    /PRP incomplete: prps\/user_auth\.md has score 5\/10 \(minimum 7\) after 2 attempts/,
  );
});

test('prp generate --agent claude fails a phase whose result is an API error despite exit 0', async (t) => {
  const project = agentProject(t, INITIAL);
  scriptHappyPrp(project, 'user_auth');
  // Claude before 2.1 exited 0 on an API error (anthropics/claude-code#79500).
  project.script('phase1', ['@fake api-error API Error: 529 Overloaded', '@fake exit-code 0']);
  const run = await runCli(['prp', 'generate', 'prps/INITIAL_user_auth.md', '--agent', 'claude'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 1, run.stderr);
  const lines = manifestLines(path.join(project.dir, MANIFEST));
  const phase1 = lines.find((line) => line.phase === 'phase1' && line.status !== 'started');
  assert.equal(phase1?.exit_code, 0);
  assert.equal(phase1?.status, 'failed');
  assert.equal(phase1?.agent, 'claude');
  assert.equal(phase1?.reason, 'claude API error 529: API Error: 529 Overloaded');
  assert.equal(phase1?.agent_ok, false);
  assert.deepEqual(
    lines.filter((line) => line.status === 'skipped').map((line) => line.phase),
    ['phase2a', 'phase2b', 'phase2c', 'phase3', 'phase4'],
  );
  // The gate names the phase that failed, not a missing score.
  assert.match(
    run.stderr,
    /PRP attempt 1: phase phase1 did not succeed \(failed, exit 0: claude API error 529: API Error: 529 Overloaded\)/,
  );
  assert.match(
    run.stderr,
    /PRP incomplete: phase phase1 did not succeed \(failed, exit 0: .*\) in attempt 1/,
  );
  assert.doesNotMatch(run.stderr, /no score/);
  const [call] = project.invocations();
  assert.deepEqual(call?.argv, [
    '-p',
    '--output-format',
    'stream-json',
    '--verbose',
    '--permission-mode',
    'acceptEdits',
  ]);
});

test('prp generate --agent claude and --agent gemini complete with their own event streams', async (t) => {
  for (const agent of ['claude', 'gemini']) {
    const project = agentProject(t, INITIAL);
    scriptHappyPrp(project, 'user_auth');
    const run = await runCli(['prp', 'generate', 'prps/INITIAL_user_auth.md', '--agent', agent], {
      cwd: project.dir,
      env: project.env,
    });
    assert.equal(run.code, 0, `${agent}: ${run.stderr}`);
    const ends = manifestLines(path.join(project.dir, MANIFEST)).filter(
      (line) => line.status === 'success',
    );
    assert.equal(ends.length, 6, agent);
    for (const end of ends) {
      assert.equal(end.agent, agent);
      assert.ok(end.session_id, `${agent} session id`);
      assert.equal(typeof end.output_tokens, 'number', `${agent} tokens`);
    }
    if (agent === 'claude') assert.equal(typeof ends[0]?.cost_usd, 'number');
  }
});

test('a missing agent is a clear error naming its package, before anything is created', async (t) => {
  const project = agentProject(t, INITIAL);
  const run = await runCli(['prp', 'generate', 'prps/INITIAL_user_auth.md', '--agent', 'gemini'], {
    cwd: project.dir,
    env: { PATH: '/usr/bin:/bin' },
  });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /needs gemini, which is not on PATH/);
  assert.match(run.stderr, /npm install -g @google\/gemini-cli/);
  assert.ok(!existsSync(path.join(project.dir, 'prps/user_auth')));
});

test('prp generate --dry-run prints the waves and argv and creates nothing', async (t) => {
  const project = agentProject(t, INITIAL);
  const run = await runCli(['prp', 'generate', 'prps/INITIAL_user_auth.md', '--dry-run'], {
    cwd: project.dir,
    env: { PATH: '/usr/bin:/bin' },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /wave 2: phase2a, phase2b, phase2c/);
  assert.match(
    run.stdout,
    /codex exec --profile codex-prp -s workspace-write --skip-git-repo-check --json -o prps\/user_auth\/codex\/logs\/phase1\.last-message\.md -/,
  );
  assert.match(run.stdout, /outputs: prps\/user_auth\.md/);
  assert.ok(!existsSync(path.join(project.dir, 'prps/user_auth')));
  // --kill-after and --idle-timeout reach every phase, as docs/cli.md says.
  const tuned = await runCli(
    [
      'prp',
      'generate',
      'prps/INITIAL_user_auth.md',
      '--dry-run',
      '--kill-after',
      '2',
      '--idle-timeout',
      '30',
    ],
    { cwd: project.dir, env: { PATH: '/usr/bin:/bin' } },
  );
  assert.equal(tuned.code, 0, tuned.stderr);
  assert.match(tuned.stdout, /2s grace between stop signals/);
  assert.match(tuned.stdout, /phase1: codex, timeout 600s, idle timeout 30s/);
});

test('parex prp score prints PASS:N, FAIL:N or NO_SCORE', async (t) => {
  const project = agentProject(t);
  const cases: [string, string, number][] = [
    ['Score: 9/10', 'PASS:9', 0],
    ['**Score: 8/10**', 'PASS:8', 0],
    ['**Score**: 10/10', 'PASS:10', 0],
    ['score : 7 / 10', 'FAIL:7', 1],
    ['SCORE: **6/10**', 'FAIL:6', 1],
    ['no score here', 'NO_SCORE', 1],
    ['Score: 11/10', 'NO_SCORE', 1],
  ];
  for (const [text, expected, code] of cases) {
    writeFileSync(path.join(project.dir, 'prp.md'), `# PRP\n\n${text}\n`);
    const run = await runCli(['prp', 'score', 'prp.md'], { cwd: project.dir });
    assert.equal(run.stdout.trim(), expected, text);
    assert.equal(run.code, code, text);
  }
  const lower = await runCli(['prp', 'score', 'prp.md', '--min', '5'], { cwd: project.dir });
  assert.equal(lower.code, 1);
  writeFileSync(path.join(project.dir, 'prp.md'), 'Score: 6/10\n');
  const passes = await runCli(['prp', 'score', 'prp.md', '--min', '5'], { cwd: project.dir });
  assert.deepEqual([passes.stdout.trim(), passes.code], ['PASS:6', 0]);
  const missing = await runCli(['prp', 'score', 'nope.md'], { cwd: project.dir });
  assert.equal(missing.code, 2);
  assert.ok(readFileSync(path.join(project.dir, 'prp.md'), 'utf8').length > 0);
});
