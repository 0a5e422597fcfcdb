// --resume reuses a phase only when nothing that shapes it changed: the prompt or command, the
// variables it refers to, its env:, the agent, the model and the agent options; `--dry-run
// --resume` says which of these changed.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { agentProject } from '../helpers/agents.js';
import { runCli } from '../helpers/cli.js';

function workflow(
  changes: { mode?: string; model?: string; sandbox?: string; command?: string } = {},
) {
  return [
    'name: flow',
    'dirs: { logs: logs }',
    'phases:',
    '  - id: gen',
    '    agent: codex',
    '    prompt: p.md',
    `    model: ${changes.model ?? 'gpt-5'}`,
    `    sandbox: ${changes.sandbox ?? 'workspace-write'}`,
    '  - id: cmd',
    '    agent: command',
    `    command: '${changes.command ?? 'echo "$TOPIC $MODE" > out/cmd.txt'}'`,
    `    env: { MODE: ${changes.mode ?? 'fast'} }`,
    '    outputs: [out/cmd.txt]',
    '  - id: other',
    '    agent: command',
    "    command: 'mkdir -p out && echo other > out/other.txt'",
    '',
  ].join('\n');
}

test('a phase reruns when its variables, env:, command, model, options or agent changed', async (t) => {
  const project = agentProject(t, {
    'p.md': 'Write about ${FEATURE_NAME}\n',
    'flow.yaml': workflow(),
  });
  mkdirSync(path.join(project.dir, 'out'));
  const cli = (...args: string[]) =>
    runCli(['run', 'flow.yaml', '--feature', 'feat', ...args], {
      cwd: project.dir,
      env: project.env,
    });
  const plan = async (...args: string[]) => {
    const dry = await cli('--resume', '--dry-run', ...args);
    assert.equal(dry.code, 0, dry.stderr);
    return dry.stdout;
  };
  const first = await cli('--var', 'TOPIC=a');
  assert.equal(first.code, 0, first.stderr);

  const same = await plan('--var', 'TOPIC=a');
  for (const id of ['gen', 'cmd', 'other'])
    assert.match(same, new RegExp(`  ${id}: .*reused from run`));
  assert.doesNotMatch(same, /runs again/);

  const topic = await plan('--var', 'TOPIC=b', '--var', 'UNUSED=x');
  assert.match(
    topic,
    / {2}cmd: command.*\n.*resume: {2}runs again: changed since its last success: variables/,
  );
  assert.match(topic, / {2}gen: .*reused from run/, 'gen does not refer to TOPIC');
  assert.match(topic, / {2}other: .*reused from run/);

  writeFileSync(path.join(project.dir, 'flow.yaml'), workflow({ mode: 'slow' }));
  assert.match(await plan('--var', 'TOPIC=a'), /runs again: changed since its last success: env:/);
  writeFileSync(
    path.join(project.dir, 'flow.yaml'),
    workflow({ command: 'echo "$TOPIC $MODE"  > out/cmd.txt' }),
  );
  assert.match(
    await plan('--var', 'TOPIC=a'),
    /runs again: changed since its last success: command/,
  );
  writeFileSync(path.join(project.dir, 'flow.yaml'), workflow({ model: 'gpt-4.1' }));
  assert.match(
    await plan('--var', 'TOPIC=a'),
    / {2}gen: .*\n(.*\n)*?.*runs again: changed since its last success: model/,
  );
  writeFileSync(path.join(project.dir, 'flow.yaml'), workflow({ sandbox: 'read-only' }));
  assert.match(
    await plan('--var', 'TOPIC=a'),
    /runs again: changed since its last success: agent options/,
  );
  writeFileSync(path.join(project.dir, 'flow.yaml'), workflow());
  assert.match(
    await plan('--var', 'TOPIC=a', '--agent', 'claude'),
    /runs again: changed since its last success: agent\n/,
  );

  // A real resumed run does what the plan said: only cmd runs, with the new value.
  const second = await cli('--resume', '--var', 'TOPIC=b');
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /reused {3}gen: /);
  assert.match(second.stderr, /reused {3}other: /);
  assert.equal(readFileSync(path.join(project.dir, 'out', 'cmd.txt'), 'utf8'), 'b fast\n');
});
