// Agents in a workflow run: gemini in any folder, tokens in one meaning and their sums,
// escaped processes on the record, starts of one CLI staggered, homes of their own per job.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { agentProject, flow, phaseEnds, scriptHappyPrp } from '../helpers/agents.js';
import { runCli } from '../helpers/cli.js';
import { manifestLines } from '../helpers/manifest.js';

const LOGS = '.parex/features/feat/logs';

function ends(dir: string): Map<string, Record<string, unknown>> {
  return phaseEnds(dir, LOGS);
}

test('the PRP workflow with --agent gemini completes in a fresh git init directory (--skip-trust, or the variable for older versions)', async (t) => {
  for (const old of [false, true]) {
    const project = agentProject(t, { 'prps/INITIAL_user_auth.md': '# Feature: user auth\n' });
    execFileSync('git', ['init', '-q'], { cwd: project.dir });
    scriptHappyPrp(project, 'user_auth');
    const env = old ? { ...project.env, FAKE_GEMINI_NO_SKIP_TRUST: '1' } : project.env;
    const run = await runCli(
      ['prp', 'generate', 'prps/INITIAL_user_auth.md', '--agent', 'gemini'],
      {
        cwd: project.dir,
        env,
      },
    );
    assert.equal(run.code, 0, run.stderr);
    const calls = project.invocations().filter((call) => call.agent === 'gemini');
    assert.equal(calls.length, 6);
    for (const call of calls) {
      const argv = call.argv as string[];
      const variable = (call.env as Record<string, string>).GEMINI_CLI_TRUST_WORKSPACE;
      if (old) {
        assert.ok(!argv.includes('--skip-trust'), 'the old version has no such flag');
        assert.equal(variable, 'true');
      } else {
        assert.ok(argv.includes('--skip-trust'));
        assert.equal(variable, undefined);
      }
    }
  }
});

test('tokens have one meaning for every agent, and status, report and summary add them like with like', async (t) => {
  const project = agentProject(t, {
    'p.md': 'Work on ${PHASE_NAME}.\n',
    'flow.yaml': flow(
      'phases:',
      ...['codex', 'claude', 'gemini'].map(
        (agent) => `  - { id: ${agent}_job, agent: ${agent}, prompt: p.md }`,
      ),
    ),
  });
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 0, run.stderr);
  const lines = ends(project.dir);
  // Claude's own counts (input_tokens without the cache) against parex's meaning.
  const claudeLog = readFileSync(path.join(project.dir, LOGS, 'claude_job.log'), 'utf8');
  const result = claudeLog
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((event) => event.type === 'result') as {
    usage: Record<string, number>;
    total_cost_usd: number;
  };
  const claude = lines.get('claude_job') as Record<string, number>;
  const { input_tokens, cache_read_input_tokens, cache_creation_input_tokens } = result.usage;
  assert.ok((cache_read_input_tokens ?? 0) > 0 && (cache_creation_input_tokens ?? 0) > 0);
  assert.equal(
    claude.input_tokens,
    (input_tokens ?? 0) + (cache_read_input_tokens ?? 0) + (cache_creation_input_tokens ?? 0),
  );
  assert.equal(claude.cached_input_tokens, cache_read_input_tokens);
  assert.equal(claude.cache_write_tokens, cache_creation_input_tokens);
  assert.equal(claude.cost_usd, result.total_cost_usd);
  for (const name of ['codex_job', 'gemini_job']) {
    const line = lines.get(name) as Record<string, unknown>;
    assert.ok(
      Number(line.input_tokens) > Number(line.cached_input_tokens),
      `${name}: cached inside input`,
    );
    assert.equal(line.cache_write_tokens, 0);
  }
  // Neither reports a cost: gemini's is estimated from the price table (its model is in it),
  // codex names no model, so its cost is unknown.
  assert.equal(lines.get('gemini_job')?.cost_source, 'estimated');
  assert.equal(typeof lines.get('gemini_job')?.cost_usd, 'number');
  assert.equal(lines.get('codex_job')?.cost_source, 'unknown');
  assert.equal(lines.get('codex_job')?.cost_usd, null);
  assert.equal(lines.get('claude_job')?.cost_source, 'reported');
  const sum = (key: string) =>
    [...lines.values()].reduce((total, line) => total + Number(line[key] ?? 0), 0);
  const count = (value: number) => value.toLocaleString('en-US');
  const expected = `${count(sum('input_tokens'))} in (${count(sum('cached_input_tokens'))} cached, ${count(sum('cache_write_tokens'))} cache writes) / ${count(sum('output_tokens'))} out; $${claude.cost_usd?.toFixed(4)} (cost reported by 1 of 3 jobs)`;
  assert.ok(run.stderr.includes(`  tokens: ${expected}`), `summary: ${run.stderr}`);
  const status = await runCli(['status', LOGS], { cwd: project.dir });
  assert.ok(status.stdout.includes(`tokens: ${expected}`), status.stdout);
  const report = await runCli(['report', LOGS], { cwd: project.dir });
  assert.ok(report.stdout.includes(`| tokens | ${expected} |`), report.stdout);
});

test('processes that escaped the job group are on its completion line: a timeout and an own exit alike', async (t) => {
  const project = agentProject(t, {
    'p.md': 'Run it.\n',
    'flow.yaml': flow(
      'defaults: { kill_after: 1 }',
      'phases:',
      '  - { id: g, agent: gemini, prompt: p.md, approval_mode: yolo, timeout: 2 }',
      '  - { id: x, agent: codex, prompt: p.md, sandbox: workspace-write }',
      '  - { id: clean, agent: codex, prompt: p.md, sandbox: workspace-write }',
    ),
  });
  project.script('g', ['@fake shell sleep 60']);
  project.script('x', ['@fake shell sleep 60 &']);
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 1, run.stderr);
  const lines = ends(project.dir);
  const g = lines.get('g');
  assert.equal(g?.outcome, 'timeout');
  assert.equal(g?.leftovers_stopped, 1, 'the shell tool in its own session');
  assert.deepEqual(g?.leftover_signals, ['SIGTERM']);
  assert.equal(g?.reaped_leftovers, true);
  const x = lines.get('x');
  assert.equal(x?.outcome, 'success');
  assert.equal(x?.leftovers_stopped, 1, 'the backgrounded sleep');
  assert.equal(x?.reaped_leftovers, true);
  const clean = lines.get('clean');
  assert.equal(clean?.leftovers_stopped, 0);
  assert.equal(clean?.reaped_leftovers, false);
  assert.match(
    run.stderr,
    /job g left 1 process outside its process group .*stopped them \(SIGTERM\)/,
  );
});

test('starts of one agent CLI are staggered by default, so they do not race on its state', async (t) => {
  const files = {
    'p.md': 'Go.\n',
    'flow.yaml': flow(
      'phases:',
      ...[1, 2, 3].map((n) => `  - { id: x${n}, agent: codex, prompt: p.md }`),
    ),
  };
  const project = agentProject(t, files);
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 0, run.stderr);
  const starts = [...ends(project.dir).values()]
    .map((line) => Date.parse(String(line.started_at)))
    .sort();
  for (let index = 1; index < starts.length; index += 1) {
    assert.ok(
      (starts[index] ?? 0) - (starts[index - 1] ?? 0) >= 950,
      `starts ${starts.join(', ')}`,
    );
  }
  const state = JSON.parse(readFileSync(path.join(project.home, '.codex/fake-state.json'), 'utf8'));
  assert.equal(state.threads.length, 3, 'no thread row lost');

  // Without the stagger, starts that close collide; --retries treats the lock as transient.
  const racing = agentProject(t, {
    ...files,
    'flow.yaml': flow('defaults: { stagger_same_agent: 0ms }', files['flow.yaml']),
  });
  const raced = await runCli(
    ['run', 'flow.yaml', '--feature', 'feat', '--retries', '2', '--retry-delay', '0.2'],
    {
      cwd: racing.dir,
      env: racing.env,
    },
  );
  assert.equal(raced.code, 0, raced.stderr);
  const all = manifestLines(path.join(racing.dir, LOGS, 'manifest.jsonl')).filter(
    (line) => line.status !== 'started',
  );
  const locked = all.filter((line) => line.transient !== undefined);
  const firstStarts = all
    .filter((line) => line.attempt === 1)
    .map((line) => Date.parse(String(line.started_at)));
  if (Math.max(...firstStarts) - Math.min(...firstStarts) < 100) {
    assert.ok(locked.length > 0, 'starts within 100 ms collided');
  }
  for (const line of locked) {
    assert.equal(line.transient, 'database is locked');
    assert.match(
      String(line.reason),
      /^codex exited 1 \(.*\): Error: failed to initialize state database .*database is locked$/,
    );
  }
});

test("agent_home: per-job gives each job its own CODEX_HOME / CLAUDE_CONFIG_DIR, seeded by copies; the user's files are only read", async (t) => {
  const project = agentProject(t, {
    'p.md': 'Go.\n',
    'flow.yaml': flow(
      'defaults: { agent_home: per-job, stagger_same_agent: 0 }',
      'phases:',
      '  - { id: x1, agent: codex, prompt: p.md }',
      '  - { id: x2, agent: codex, prompt: p.md }',
      '  - { id: c1, agent: claude, prompt: p.md }',
      '  - { id: c2, agent: claude, prompt: p.md }',
    ),
  });
  const home = project.home;
  mkdirSync(path.join(home, '.codex'));
  writeFileSync(path.join(home, '.codex/config.toml'), 'model = "gpt-5-codex"\n');
  writeFileSync(path.join(home, '.codex/auth.json'), '{"OPENAI_API_KEY":"sk-test"}\n', {
    mode: 0o600,
  });
  writeFileSync(path.join(home, '.claude.json'), '{"numStartups":7}\n');
  const before = ['.codex/config.toml', '.codex/auth.json', '.claude.json'].map((file) => {
    const stat = statSync(path.join(home, file));
    return [readFileSync(path.join(home, file), 'utf8'), stat.mtimeMs];
  });
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 0, run.stderr);
  const after = ['.codex/config.toml', '.codex/auth.json', '.claude.json'].map((file) => {
    const stat = statSync(path.join(home, file));
    return [readFileSync(path.join(home, file), 'utf8'), stat.mtimeMs];
  });
  assert.deepEqual(after, before, "the user's files were not written");
  assert.equal(
    existsSync(path.join(home, '.codex/fake-state.json')),
    false,
    'no state in the user home',
  );
  const lines = ends(project.dir);
  for (const name of ['x1', 'x2']) {
    const codexHome = String(lines.get(name)?.agent_home);
    assert.equal(codexHome, path.join(project.dir, LOGS, `${name}.codex-home`));
    assert.equal(
      readFileSync(path.join(codexHome, 'config.toml'), 'utf8'),
      'model = "gpt-5-codex"\n',
    );
    assert.equal(
      statSync(path.join(codexHome, 'auth.json')).mode & 0o777,
      0o600,
      'credentials stay private',
    );
    assert.equal(
      JSON.parse(readFileSync(path.join(codexHome, 'fake-state.json'), 'utf8')).threads.length,
      1,
    );
  }
  for (const name of ['c1', 'c2']) {
    const dir = String(lines.get(name)?.agent_home);
    assert.equal(JSON.parse(readFileSync(path.join(dir, '.claude.json'), 'utf8')).numStartups, 8);
  }
  const calls = project.invocations().map((call) => call.env as Record<string, string>);
  assert.equal(new Set(calls.map((env) => env.CODEX_HOME ?? env.CLAUDE_CONFIG_DIR)).size, 4);
});

test('a claude start that read its config file torn is transient for --retries', async (t) => {
  const project = agentProject(t, {
    'p.md': 'Go.\n',
    'flow.yaml': flow('phases:', '  - { id: c, agent: claude, prompt: p.md }'),
  });
  project.script(
    'c',
    [
      '@fake stderr Claude configuration file at /home/u/.claude.json is corrupted: Unexpected end of JSON input',
      '@fake exit 1',
    ],
    1,
  );
  project.script('c', ['@fake say fine'], 2);
  const run = await runCli(
    ['run', 'flow.yaml', '--feature', 'feat', '--retries', '1', '--retry-delay', '0.1'],
    {
      cwd: project.dir,
      env: project.env,
    },
  );
  assert.equal(run.code, 0, run.stderr);
  const all = manifestLines(path.join(project.dir, LOGS, 'manifest.jsonl')).filter(
    (line) => line.status !== 'started',
  );
  assert.deepEqual(
    all.map((line) => [line.attempt, line.status]),
    [
      [1, 'failed'],
      [2, 'success'],
    ],
  );
  assert.equal(all[0]?.transient, 'configuration file at /home/u/.claude.json is corrupted');
  assert.match(
    String(all[0]?.reason),
    /^claude exited 1 \(.*\): Claude configuration file at .* is corrupted/,
  );
});

test('stagger_same_agent takes seconds or a duration; anything else is a workflow error at its place', async (t) => {
  const project = agentProject(t, {
    'p.md': 'Go.\n',
    'flow.yaml': flow(
      'defaults: { stagger_same_agent: 1.5 }',
      'phases:',
      ...[1, 2].map((n) => `  - { id: x${n}, agent: codex, prompt: p.md }`),
    ),
    'bad.yaml': flow(
      'defaults: { stagger_same_agent: soon }',
      'phases:',
      '  - { id: x, agent: codex, prompt: p.md }',
    ),
  });
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 0, run.stderr);
  const starts = [...ends(project.dir).values()].map((line) => Date.parse(String(line.started_at)));
  assert.ok(Math.abs((starts[1] ?? 0) - (starts[0] ?? 0)) >= 1450, `starts ${starts.join(', ')}`);
  const bad = await runCli(['run', 'bad.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /bad\.yaml:1:\d+: stagger_same_agent: give a number of seconds, or a duration such as 1s or 500ms/,
  );
});
