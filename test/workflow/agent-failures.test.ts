// Every way an agent phase fails keeps its reason (exit codes in words, the agent's own error,
// else the last error line of its log), in the manifest, the summary and the report; permission
// denials are named; modes follow the installed CLI's --help.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { agentProject, flow, phaseEnds, writes } from '../helpers/agents.js';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';

const LOGS = '.parex/features/feat/logs';

function ends(dir: string): Map<string, Record<string, unknown>> {
  return phaseEnds(dir, LOGS);
}

test('each kind of agent failure is recorded with its reason: manifest, summary and report', async (t) => {
  const project = agentProject(t, {
    'p.md': 'Do ${PHASE_NAME}.\n',
    'badhome/.gemini/settings.json': JSON.stringify({
      security: { auth: { selectedType: 'cloud-shell' } },
    }),
    'flow.yaml': flow(
      'defaults: { sandbox: workspace-write, permission_mode: acceptEdits, approval_mode: auto_edit }',
      'phases:',
      '  - { id: g_untrusted, agent: gemini, prompt: p.md, trust: false }',
      '  - { id: g_api, agent: gemini, prompt: p.md }',
      '  - { id: g_auth, agent: gemini, prompt: p.md, env: { HOME: badhome } }',
      '  - { id: c_api, agent: claude, prompt: p.md }',
      '  - { id: c_turns, agent: claude, prompt: p.md, max_turns: 1 }',
      '  - { id: x_fail, agent: codex, prompt: p.md }',
      '  - { id: x_crash, agent: codex, prompt: p.md }',
    ),
  });
  project.script('g_api', ['@fake api-error 400 Bad Request']);
  project.script('c_api', ['@fake api-error API Error: 500 Internal server error']);
  project.script('c_turns', [...writes('a.md', 'a'), ...writes('b.md', 'b')]);
  project.script('x_fail', ['@fake fail stream disconnected before completion']);
  project.script('x_crash', [
    '@fake stderr Error: the model provider refused the key',
    '@fake exit 3',
  ]);
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 1, run.stderr);
  const lines = ends(project.dir);
  const expected: [string, number, RegExp][] = [
    [
      'g_untrusted',
      55,
      /^gemini exited 55 \(the folder is not trusted: .*\): Gemini CLI is not running in a trusted directory/,
    ],
    ['g_api', 144, /^gemini reported error \(Error\): \[API Error: 400 Bad Request\]$/],
    [
      'g_auth',
      41,
      /^gemini exited 41 \(authentication failed: .*\): Invalid auth method selected\.$/,
    ],
    ['c_api', 1, /^claude API error 500: API Error: 500 Internal server error$/],
    [
      'c_turns',
      1,
      /^claude reached its turn limit \(error_max_turns after 2 turns\): raise max_turns$/,
    ],
    ['x_fail', 1, /^codex reported: stream disconnected before completion$/],
    ['x_crash', 3, /^codex exited 3: Error: the model provider refused the key$/],
  ];
  for (const [phase, code, reason] of expected) {
    const line = lines.get(phase);
    assert.equal(line?.exit_code, code, phase);
    assert.equal(line?.status, 'failed', phase);
    assert.match(String(line?.reason), reason, phase);
    assert.equal(line?.agent_ok, false, phase);
  }
  // The summary names each reason on its job's row.
  for (const [phase] of expected) {
    const row = run.stderr.split('\n').find((text) => text.trimStart().startsWith(`${phase} `));
    assert.match(String(row), /FAILED \(.+; exit \d+\)/, `${phase} in the summary`);
  }
  assert.match(
    run.stderr,
    /c_api +claude .+? +FAILED \(claude API error 500: API Error: 500 Internal server error; exit 1\)/,
  );
  const report = await runCli(['report', LOGS], { cwd: project.dir });
  assert.equal(report.code, 0, report.stderr);
  assert.match(
    report.stdout,
    /### g_untrusted: failed, exit 55\n\ngemini exited 55 \(the folder is not trusted/,
  );
  assert.match(
    report.stdout,
    /### x_crash: failed, exit 3\n\ncodex exited 3: Error: the model provider refused the key/,
  );
});

test('a write the permission mode refused is named, with what to change; agent_ok is false', async (t) => {
  const project = agentProject(t, {
    'p.md': 'Write the notes.\n',
    'flow.yaml': flow(
      'phases:',
      '  - { id: notes, agent: claude, prompt: p.md, outputs: [out/notes.md] }',
      '  - { id: fixed, agent: claude, prompt: p.md, outputs: [out/fixed.md], permission_mode: acceptEdits }',
    ),
  });
  project.script('notes', writes('out/notes.md', '# Notes'));
  project.script('fixed', writes('out/fixed.md', '# Notes'));
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 1, run.stderr);
  const lines = ends(project.dir);
  const notes = lines.get('notes');
  assert.equal(notes?.exit_code, 0, 'claude itself ended "success"');
  assert.equal(notes?.status, 'failed');
  assert.equal(notes?.agent_ok, false);
  assert.equal(
    notes?.reason,
    'permission denied: Write out/notes.md; set permission_mode: acceptEdits (or allowed_tools: [Write])',
  );
  assert.deepEqual(notes?.permission_denials, [{ tool: 'Write', path: 'out/notes.md' }]);
  assert.equal(existsSync(path.join(project.dir, 'out/notes.md')), false, 'nothing was written');
  const fixed = lines.get('fixed');
  assert.equal(fixed?.status, 'success');
  assert.deepEqual(fixed?.permission_denials, []);
  assert.equal(fixed?.agent_ok, true);
});

test('gemini in approval mode default cannot write: the reason says which mode to set', async (t) => {
  const project = agentProject(t, {
    'p.md': 'Write it.\n',
    'flow.yaml': flow('phases:', '  - { id: g, agent: gemini, prompt: p.md, outputs: [g.md] }'),
  });
  project.script('g', writes('g.md', 'x'));
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 1, run.stderr);
  assert.equal(
    ends(project.dir).get('g')?.reason,
    "output missing: g.md; gemini's approval mode default offers no write tool in headless mode; set approval_mode: auto_edit (or yolo)",
  );
});

test('modes follow the installed CLI: an unknown one is a workflow error at file:line:col listing its choices', async (t) => {
  const project = agentProject(t, {
    'p.md': 'Hi.\n',
    'flow.yaml': flow(
      'defaults: { approval_mode: sometimes }',
      'phases:',
      '  - { id: a, agent: claude, prompt: p.md, permission_mode: auto }',
      '  - { id: b, agent: claude, prompt: p.md, permission_mode: default }',
      '  - id: c',
      '    agent: claude',
      '    prompt: p.md',
      '    permission_mode: acceptEverything',
      '  - { id: d, agent: gemini, prompt: p.md }',
      '  - { id: e, agent: codex, prompt: p.md, sandbox: workspace-rw }',
    ),
  });
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 2, run.stderr);
  assert.match(
    run.stderr,
    /flow\.yaml:1:28: approval_mode "sometimes" is not a mode of the installed gemini \(0\.61\.0\); its --approval-mode choices: default, auto_edit, yolo, plan/,
  );
  assert.match(
    run.stderr,
    /flow\.yaml:8:22: permission_mode "acceptEverything" is not a mode of the installed claude \(2\.1\.332 \(Claude Code\)\); its --permission-mode choices: acceptEdits, auto, bypassPermissions, manual, dontAsk, plan, default/,
  );
  assert.match(
    run.stderr,
    /flow\.yaml:10:\d+: sandbox "workspace-rw" is not a mode of the installed codex/,
  );
  assert.doesNotMatch(
    run.stderr,
    /"auto"|"default"/,
    'auto (listed) and default (an alias) are accepted',
  );
  assert.equal(existsSync(path.join(project.dir, LOGS)), false, 'nothing ran, nothing was written');
  // The choices were read once per version: a second check asks the cache, not the CLI.
  const cache = JSON.parse(
    readFileSync(path.join(project.home, '.cache/parex/agent-help.json'), 'utf8'),
  ) as Record<string, string>;
  assert.equal(Object.keys(cache).length, 3);
  assert.ok(Object.keys(cache).some((key) => key.endsWith('\u00002.1.332 (Claude Code)')));
});

test("the README's example workflow runs as printed", async (t) => {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const yaml = /```yaml\n(defaults:\n {2}agent: codex[\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(yaml, 'the example is in the README');
  const project = agentProject(t, {
    'flow.yaml': yaml,
    'package.json': '{"scripts":{"test":"true"}}',
  });
  for (const name of ['analyse', 'code', 'docs', 'assemble']) {
    mkdirSync(path.join(project.dir, 'prompts'), { recursive: true });
    writeFileSync(path.join(project.dir, 'prompts', `${name}.md`), `Do ${name}.\n`);
  }
  const outputs: Record<string, string> = {
    analyse: '.parex/features/billing/planning/analysis.md',
    research_code: '.parex/features/billing/planning/code.md',
    research_docs: '.parex/features/billing/planning/docs.md',
    assemble: 'PLAN.md',
  };
  for (const [phase, file] of Object.entries(outputs)) project.script(phase, writes(file, '# x'));
  const run = await runCli(['run', 'flow.yaml', '--feature', 'billing'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(existsSync(path.join(project.dir, 'PLAN.md')));
});

test("a change codex's read-only sandbox refused is a denial with the setting to change", async (t) => {
  const project = agentProject(t, {
    'p.md': 'Write it.\n',
    'flow.yaml': flow(
      'phases:',
      '  - { id: x, agent: codex, prompt: p.md, profile: "", outputs: [x.md] }',
    ),
  });
  project.script('x', writes('x.md', 'x'));
  const run = await runCli(['run', 'flow.yaml', '--feature', 'feat'], {
    cwd: project.dir,
    env: project.env,
  });
  assert.equal(run.code, 1, run.stderr);
  const line = ends(project.dir).get('x');
  assert.equal(line?.exit_code, 0);
  assert.equal(line?.reason, 'permission denied: file_change x.md; set sandbox: workspace-write');
  assert.deepEqual(line?.permission_denials, [{ tool: 'file_change', path: 'x.md' }]);
  assert.equal(line?.agent_ok, false);
});
