// Budgets of best-of-N phases: a phase's candidates count in the phase, for its own budget, its
// spend and its estimate before it starts (candidates x the mean of earlier phases).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { test } from 'node:test';

import { type AgentProject, agentProject, flow } from '../helpers/agents.js';
import { runCli } from '../helpers/cli.js';
import { FEATURE_LOGS, flowEnds, flowManifest, runFlow, spending } from '../helpers/flows.js';

/** A project in a git repository (candidates run in worktrees), with `flow.yaml` of `lines`. */
function repoProject(t: Parameters<typeof agentProject>[0], ...lines: string[]): AgentProject {
  const project = agentProject(t, {
    'p.md': 'go\n',
    '.gitignore': '.fake-scripts/\n.fake-agents.jsonl\n.parex/\n',
    'flow.yaml': flow(...lines),
  });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: project.dir });
  const cache = `${project.dir}-cache`;
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  Object.assign(project.env, { XDG_CACHE_HOME: cache });
  return project;
}

const CLAUDE = 'defaults: { agent: claude, stagger_same_agent: 0, agent_home: per-job }';

/** Phase `id` as `count` candidates with a judge that passes them all, then `extra` keys. */
function bestOf(id: string, count: number, ...extra: string[]): string[] {
  return [
    `  - id: ${id}`,
    '    prompt: p.md',
    `    candidates: ${count}`,
    "    judge: { command: 'true' }",
    ...extra,
  ];
}

test('a phase of 3 candidates x the mean of earlier phases that does not fit is not started, judge included; --budget-soft starts it', async (t) => {
  const project = repoProject(
    t,
    CLAUDE,
    'budget: { cost_usd: 0.25 }',
    'phases:',
    '  - { id: first, prompt: p.md }',
    ...bestOf('best', 3, '    needs: [first]'),
  );
  // first costs $0.10: 3 candidates x $0.10 = $0.30 > the $0.15 left.
  project.script('first', ['@fake usage input=100 output=10 cost=0.1']);
  for (const n of [1, 2, 3]) {
    project.script(`best-c${n}`, ['@fake usage input=100 output=10 cost=0.03']);
  }
  const hard = await runFlow(project);
  assert.equal(hard.code, 1, hard.stderr);
  let byName = flowEnds(project);
  for (const name of ['best-c1', 'best-c2', 'best-c3', 'best']) {
    assert.equal(
      byName.get(name)?.outcome,
      'budget',
      `${name}: ${JSON.stringify(byName.get(name))}`,
    );
    assert.equal(byName.get(name)?.pid, null, `${name} never started`);
  }
  assert.match(
    String(byName.get('best-c1')?.reason),
    /phase best is expected to need \$0\.3000 \(3 jobs x the \$0\.1000 mean of earlier phases\), more than the \$0\.1500 left of the run's budget of \$0\.2500/,
  );
  assert.equal(project.invocations().length, 1, 'only first ran');

  const soft = await runFlow(project, ['--budget-soft']);
  assert.equal(soft.code, 0, soft.stderr);
  byName = flowEnds(project);
  for (const name of ['best-c1', 'best-c2', 'best-c3', 'best']) {
    assert.equal(byName.get(name)?.outcome, 'success', name);
  }
  assert.match(
    soft.stderr,
    /phase best is expected to need .*; starting it anyway \(--budget-soft\)/,
  );
  assert.equal(byName.get('best-c2')?.budget_phase, 'best');
  assert.match(
    soft.stderr,
    /spend by phase: first \$0\.1000 \(1 job, [\d.]+ tok\); best \$0\.0900 \(3 jobs, /,
  );
});

test("a phase's own budget covers all its candidates: reached by their sum, it stops them, not the other phase", async (t) => {
  const project = repoProject(
    t,
    CLAUDE,
    'phases:',
    ...bestOf('best', 2, '    budget: { tokens: 50000 }'),
    '  - { id: other, prompt: p.md }',
  );
  // 11k tokens a message each: the two candidates together pass 40k (80%) then 50k, though
  // each alone spends far less than 50k before it is stopped.
  for (const n of [1, 2])
    project.script(`best-c${n}`, spending(20, 0.3, 'input=10000 output=1000'));
  project.script('other', [...spending(4, 0.3, 'input=10000 output=1000'), '@fake say done']);
  const run = await runFlow(project);
  assert.equal(run.code, 1, run.stderr);
  const byName = flowEnds(project);
  for (const name of ['best-c1', 'best-c2']) {
    const line = byName.get(name);
    assert.equal(line?.outcome, 'budget', `${name}: ${JSON.stringify(line)}`);
    assert.match(String(line?.reason), /phase best's budget of 50\.0k tokens was reached/);
    assert.ok(Number(line?.input_tokens) + Number(line?.output_tokens) < 50000, name);
    assert.equal(line?.budget_phase, 'best');
  }
  assert.equal(byName.get('other')?.outcome, 'success', 'the other phase goes on');
  assert.match(
    run.stderr,
    /budget warning: phase best has spent [\d.]+k tokens, \d+% of its 50\.0k/,
  );
  assert.match(
    run.stderr,
    /spend by phase: .*best \S+ est\. \(2 jobs, \d+\.\dk tok\) of its 50\.0k tokens budget/,
  );
  const starts = flowManifest(project).filter((line) => line.status === 'started');
  assert.equal(starts.filter((line) => String(line.phase).startsWith('best-c')).length, 2);
  const report = await runCli(['report', FEATURE_LOGS], { cwd: project.dir });
  assert.match(
    report.stdout,
    /\| best \| 2 \| \S+ est\., \d+\.\dk tok \|/,
    'the candidates in one row',
  );
});
