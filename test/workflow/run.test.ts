import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { agentProject, writes } from '../helpers/agents.js';
import { runCli, waitForStderr } from '../helpers/cli.js';
import { manifestLines } from '../helpers/manifest.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { killedAfter, livingWithMarker } from '../helpers/processes.js';

const LOGS = '.parex/features/feat/logs';

function flow(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

test('the offline example runs three phases at once after the first, then the report', async (t) => {
  const project = agentProject(t);
  cpSync(path.join(REPO_ROOT, 'src/report'), path.join(project.dir, 'src'), { recursive: true });
  const run = await runCli(['run', path.join(REPO_ROOT, 'examples/parallel-demo.yaml')], {
    cwd: project.dir,
  });
  assert.equal(run.code, 0, run.stderr);
  const report = readFileSync(path.join(project.dir, '.parex/features/demo/report.md'), 'utf8');
  assert.match(report, /## Largest files\n *\d+ \.\/src\//);
  assert.match(report, /## Files by extension\n +\d+ ts/);
  const ends = manifestLines(
    path.join(project.dir, '.parex/features/demo/logs/manifest.jsonl'),
  ).filter((line) => line.status !== 'started');
  const order = ends.map((line) => String(line.phase));
  assert.equal(order[0], 'inventory');
  assert.deepEqual(order.slice(1, 4).sort(), ['kinds', 'notes', 'sizes']);
  assert.equal(order[4], 'report');
  assert.equal(ends.length, 5);
  assert.ok(ends.every((line) => line.status === 'success' && line.agent === 'command'));
  const speedup = Number(/speedup ([0-9.]+)x/.exec(run.stderr)?.[1]);
  assert.ok(speedup > 1.5, `speedup ${speedup}: the three middle phases overlapped`);
});

test('a codex phase timing out mid-graph is interrupted with SIGINT first; its dependents are skipped', async (t) => {
  const marker = killedAfter(t);
  const project = agentProject(t, {
    'p.md': 'Phase ${PHASE_NAME} of ${FEATURE_NAME}\n',
    'flow.yaml': flow(
      'defaults: { agent: codex, sandbox: workspace-write, kill_after: 1 }',
      'phases:',
      '  - { id: a, prompt: p.md }',
      '  - { id: slow, prompt: p.md, needs: [a], timeout: 1 }',
      '  - { id: quick, prompt: p.md, needs: [a] }',
      '  - { id: last, prompt: p.md, needs: [slow, quick] }',
    ),
  });
  project.script('slow', ['@fake spawn-child', '@fake hang']);
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: { ...project.env, PAREX_TEST_MARKER: marker },
  });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /slow.*TIMEOUT \(exceeded 1s\)/);
  const ends = manifestLines(path.join(project.dir, LOGS, 'manifest.jsonl')).filter(
    (line) => line.status !== 'started',
  );
  const byPhase = new Map(ends.map((line) => [line.phase, line]));
  assert.equal(byPhase.get('a')?.status, 'success');
  assert.equal(byPhase.get('quick')?.status, 'success');
  assert.equal(byPhase.get('slow')?.outcome, 'timeout');
  assert.equal(byPhase.get('slow')?.exit_code, 124);
  assert.deepEqual(byPhase.get('slow')?.signals_sent, ['SIGINT']);
  assert.equal(byPhase.get('last')?.status, 'skipped');
  assert.equal(byPhase.get('last')?.reason, 'needs slow, which did not succeed');
  assert.deepEqual(livingWithMarker(marker), [], 'the agent and its child are gone');
});

test('a gemini phase that parex stopped is a timeout, although gemini exits 0 on SIGTERM', async (t) => {
  const project = agentProject(t, {
    'p.md': 'go\n',
    'flow.yaml': flow(
      'defaults: { agent: gemini, kill_after: 1 }',
      'phases:',
      '  - { id: g, prompt: p.md, timeout: 1 }',
    ),
  });
  project.script('g', ['@fake hang']);
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 1, run.stderr);
  const end = manifestLines(path.join(project.dir, LOGS, 'manifest.jsonl')).at(-1);
  assert.equal(end?.outcome, 'timeout');
  assert.equal(end?.exit_code, 124);
  assert.equal(end?.signal, null, 'gemini itself exited 0 after SIGTERM');
});

test('a phase that exits 0 without its declared output fails with "output missing"', async (t) => {
  const project = agentProject(t, {
    'p.md': 'write nothing\n',
    'flow.yaml': flow(
      'defaults: { agent: claude, permission_mode: acceptEdits }',
      'phases:',
      '  - { id: a, prompt: p.md, outputs: ["${PLANNING_DIR}/a.md"] }',
    ),
  });
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 1, run.stderr);
  assert.match(
    run.stderr,
    /FAILED \(output missing: \.parex\/features\/feat\/planning\/a\.md; exit 0\)/,
  );
  const end = manifestLines(path.join(project.dir, LOGS, 'manifest.jsonl')).at(-1);
  assert.equal(end?.reason, 'output missing: .parex/features/feat/planning/a.md');
  assert.deepEqual(end?.outputs, [
    { path: '.parex/features/feat/planning/a.md', size: 0, ok: false },
  ]);
});

test('--resume re-runs the failed phase and what depends on it, and reuses the rest', async (t) => {
  const project = agentProject(t, {
    'p.md': 'Do ${PHASE_NAME}\n',
    'flow.yaml': flow(
      'defaults: { agent: codex, sandbox: workspace-write }',
      'phases:',
      '  - { id: a, prompt: p.md, outputs: [out/a.md] }',
      '  - { id: side, prompt: p.md, outputs: [out/side.md] }',
      '  - { id: b, prompt: p.md, needs: [a], outputs: [out/b.md] }',
      '  - { id: c, prompt: p.md, needs: [b], outputs: [out/c.md] }',
    ),
  });
  for (const phase of ['a', 'side', 'c']) project.script(phase, writes(`out/${phase}.md`, phase));
  project.script('b', ['@fake fail rate limited']);
  const first = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(first.code, 1, first.stderr);
  project.script('b', writes('out/b.md', 'b'));
  const dry = await runCli(['run', 'flow.yaml', '--feature', 'feat', '--resume', '--dry-run'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.match(dry.stdout, /a: codex, timeout 600s, reused from run/);
  assert.doesNotMatch(dry.stdout, /b: codex, timeout 600s, needs a, reused/);
  const second = await runCli(['run', 'flow.yaml', '--feature', 'feat', '--resume'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /reused {3}a: succeeded in run/);
  assert.match(second.stderr, /reused {3}side: succeeded in run/);
  const lines = manifestLines(path.join(project.dir, LOGS, 'manifest.jsonl'));
  const runs = [...new Set(lines.map((line) => line.run_id))];
  assert.equal(runs.length, 2);
  const secondRun = lines.filter((line) => line.run_id === runs[1] && line.status === 'started');
  assert.deepEqual(secondRun.map((line) => line.phase).sort(), ['b', 'c']);
  // A changed prompt is not reused.
  const third = await runCli(
    ['run', 'flow.yaml', '--feature', 'feat', '--resume', '--var', 'X=1'],
    {
      cwd: project.dir,
      env: project.env,
    },
  );
  assert.equal(third.code, 0);
  assert.match(third.stderr, /every phase of flow was reused; nothing to run/);
});

test('a 1 MB prompt reaches the agent whole, on stdin', async (t) => {
  const big = `${'x'.repeat(1024 * 1024)}\n@fake write out/big.md\nreceived\n@fake end\n`;
  const project = agentProject(t, {
    'big.md': big,
    'flow.yaml': flow(
      'defaults: { agent: codex, sandbox: workspace-write }',
      'phases:',
      '  - { id: big, prompt: big.md, outputs: [out/big.md] }',
    ),
  });
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 0, run.stderr);
  const [call] = project.invocations();
  assert.equal(call?.prompt_bytes, Buffer.byteLength(big));
  const end = manifestLines(path.join(project.dir, LOGS, 'manifest.jsonl')).at(-1);
  assert.equal(end?.prompt_bytes, Buffer.byteLength(big));
  assert.equal(end?.prompt_sha256, call?.prompt_sha256);
});

test('an invalid workflow exits 2 with file:line:column and creates nothing', async (t) => {
  const project = agentProject(t, {
    'flow.yaml': flow(
      'defaults: { agent: command }',
      'phases:',
      '  - { id: a, command: "true", needs: [zz] }',
    ),
  });
  const run = await runCli(['run', 'flow.yaml'], { cwd: project.dir, env: project.env });
  assert.equal(run.code, 2);
  assert.match(
    run.stderr,
    /parex: the workflow flow\.yaml has a problem:\n {2}flow\.yaml:3:39: unknown phase "zz" in needs/,
  );
  assert.match(run.stderr, /fix: /);
  assert.deepEqual(
    readdirSync(project.dir).filter((name) => !name.startsWith('.fake')),
    ['flow.yaml'],
  );
});

test('Ctrl-C during a workflow stops every phase, writes their lines and exits 130', async (t) => {
  const marker = killedAfter(t);
  const project = agentProject(t, {
    'flow.yaml': flow(
      'defaults: { agent: command, kill_after: 1 }',
      'phases:',
      '  - { id: a, command: "sleep 30" }',
      '  - { id: b, command: "sleep 30" }',
      '  - { id: c, command: "true", needs: [a] }',
    ),
  });
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: { ...project.env, PAREX_TEST_MARKER: marker },
    onSpawn: (child) => {
      waitForStderr(child, 'started  b').then(
        () => child.kill('SIGINT'),
        () => child.kill('SIGKILL'),
      );
    },
  });
  assert.equal(run.code, 130, run.stderr);
  const ends = manifestLines(path.join(project.dir, LOGS, 'manifest.jsonl')).filter(
    (line) => line.status !== 'started',
  );
  assert.deepEqual(ends.map((line) => [line.phase, line.outcome]).sort(), [
    ['a', 'cancelled'],
    ['b', 'cancelled'],
  ]);
  assert.deepEqual(livingWithMarker(marker), []);
  assert.ok(existsSync(path.join(project.dir, LOGS, 'a.log')));
});
