import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { UsageError } from '../../src/errors.js';
import { prepareWorkflowRun } from '../../src/workflow/prepare.js';
import { tempDir } from '../helpers/tmp.js';

/** Writes the files of a workflow into a fresh directory and returns it. */
function project(t: Parameters<typeof tempDir>[0], files: Record<string, string>): string {
  const dir = tempDir(t);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The problems of a workflow, as the lines of its UsageError. */
function problems(
  dir: string,
  extra: Partial<Parameters<typeof prepareWorkflowRun>[0]> = {},
): string[] {
  try {
    prepareWorkflowRun({ workflowFile: 'flow.yaml', cwd: dir, feature: 'feat', ...extra });
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    return error.what
      .split('\n')
      .slice(1)
      .map((line) => line.trim().replace(`${dir}/`, ''));
  }
  assert.fail('the workflow was accepted');
}

const PROMPT = { 'p.md': 'Analyse ${FEATURE_NAME} into ${PLANNING_DIR}/a.md\n' };

test('a valid workflow plans every phase, in waves', (t) => {
  const dir = project(t, {
    ...PROMPT,
    'flow.yaml': [
      'phases:',
      '  - id: a',
      '    prompt: p.md',
      '    outputs: ["${PLANNING_DIR}/a.md"]',
      '  - id: b',
      '    needs: [a]',
      '    agent: command',
      '    argv: [cat, "${PLANNING_DIR}/a.md"]',
      '    inputs: ["${PLANNING_DIR}/a.md"]',
    ].join('\n'),
  });
  const plan = prepareWorkflowRun({ workflowFile: 'flow.yaml', cwd: dir, feature: 'feat' });
  assert.deepEqual([...plan.waves], [['a'], ['b']]);
  assert.equal(plan.phases.at(0)?.prompt, 'Analyse feat into .parex/features/feat/planning/a.md\n');
  assert.deepEqual(plan.phases.at(1)?.invocation.argv, [
    'cat',
    '.parex/features/feat/planning/a.md',
  ]);
  assert.deepEqual(plan.phases.at(0)?.invocation.argv?.slice(0, 2), ['codex', 'exec']);
});

test('syntax errors, unknown keys and wrong types are reported at their line and column', (t) => {
  const dir = project(t, {
    ...PROMPT,
    'flow.yaml': [
      'defaults:',
      '  timout: 5',
      'phases:',
      '  - id: a',
      '    prompt: p.md',
      '    timeout: soon',
      '    colour: red',
    ].join('\n'),
  });
  assert.deepEqual(problems(dir), [
    'flow.yaml:2:3: unknown key "timout" (did you mean "timeout"?)',
    'flow.yaml:6:14: timeout: expected a number; got "soon" (a string)',
    'flow.yaml:7:5: unknown key "colour"',
  ]);
  const broken = project(t, { 'flow.yaml': 'phases:\n  - id: a\n    needs: [b\n' });
  const [first] = problems(broken);
  assert.match(first ?? '', /^flow\.yaml:\d+:\d+: /);
  const duplicate = project(t, { 'flow.yaml': 'phases: []\nphases: []\n' });
  assert.match(problems(duplicate)[0] ?? '', /^flow\.yaml:2:1: .*[Mm]ap keys must be unique/);
});

test('needs: unknown phases, itself, and cycles', (t) => {
  const dir = project(t, {
    'flow.yaml': [
      'defaults: { agent: command }',
      'phases:',
      '  - { id: a, command: "true", needs: [c] }',
      '  - { id: b, command: "true", needs: [b] }',
      '  - { id: c, command: "true", needs: [a, nope] }',
    ].join('\n'),
  });
  assert.deepEqual(problems(dir), [
    'flow.yaml:3:38: dependency cycle: a -> c -> a',
    'flow.yaml:4:39: phase b needs itself',
    'flow.yaml:5:42: unknown phase "nope" in needs (phases: a, b, c)',
  ]);
});

test('phase ids must be valid, unique names', (t) => {
  const dir = project(t, {
    'flow.yaml': [
      'defaults: { agent: command }',
      'phases:',
      '  - { id: "../x", command: "true" }',
      '  - { id: ok, command: "true" }',
      '  - { id: OK, command: "true" }',
    ].join('\n'),
  });
  const found = problems(dir);
  assert.match(found[0] ?? '', /^flow\.yaml:3:11: invalid phase id "\.\.\/x": it contains/);
  assert.equal(
    found[1],
    'flow.yaml:5:11: phase id "OK" is used twice (ids are compared ignoring case)',
  );
});

test('prompt files: missing, and unknown template variables at their line in the prompt', (t) => {
  const dir = project(t, {
    'prompts/good.md': 'Use ${TOPIC} and $${HOME} and ${FEATURE_DIR}\n',
    'prompts/bad.md': 'line one\nWrite to ${PLANING_DIR}/x.md\n',
    'flow.yaml': [
      'vars: { TOPIC: auth }',
      'phases:',
      '  - { id: a, prompt: prompts/good.md }',
      '  - { id: b, prompt: prompts/bad.md }',
      '  - { id: c, prompt: prompts/none.md }',
      '  - { id: d, agent: claude }',
    ].join('\n'),
  });
  const found = problems(dir);
  assert.match(
    found[0] ?? '',
    /^flow\.yaml:5:22: prompt file .*prompts\/none\.md cannot be read \(ENOENT\)/,
  );
  assert.match(found[1] ?? '', /^flow\.yaml:6:21: a claude phase needs "prompt"/);
  assert.match(
    found[2] ?? '',
    /^prompts\/bad\.md:2:10: unknown template variable \$\{PLANING_DIR\}/,
  );
  assert.equal(found.length, 3);
});

test('command phases need exactly one of command and argv, and agent phases neither', (t) => {
  const dir = project(t, {
    ...PROMPT,
    'flow.yaml': [
      'phases:',
      '  - { id: a, agent: command, command: "true", argv: ["true"] }',
      '  - { id: b, agent: command }',
      '  - { id: c, prompt: p.md, command: "true" }',
    ].join('\n'),
  });
  const found = problems(dir);
  assert.equal(found.length, 3);
  assert.match(found[0] ?? '', /^flow\.yaml:2:21: a command phase needs exactly one of "command"/);
  assert.match(found[1] ?? '', /^flow\.yaml:3:21: a command phase needs exactly one of "command"/);
  assert.match(found[2] ?? '', /^flow\.yaml:4:37: a codex phase runs its prompt/);
});

test('an input produced by a phase that may run at the same time is refused (the hidden-dependency bug)', (t) => {
  const dir = project(t, {
    'flow.yaml': [
      'defaults: { agent: command }',
      'phases:',
      '  - { id: phase1, command: "true", outputs: [analysis.md] }',
      '  - { id: phase2a, needs: [phase1], command: "true", outputs: [patterns.md] }',
      '  - id: phase2c',
      '    needs: [phase1]',
      '    command: "true"',
      '    inputs: [analysis.md, patterns.md]',
      '    outputs: [examples.md]',
    ].join('\n'),
  });
  assert.deepEqual(problems(dir), [
    'flow.yaml:8:27: input patterns.md is an output of phase phase2a, which phase2c does not need: they may run at the same time (add phase2a to needs, or drop the input)',
  ]);
});

test('two phases writing one output, and inputs that nothing provides', (t) => {
  const dir = project(t, {
    'flow.yaml': [
      'defaults: { agent: command }',
      'phases:',
      '  - { id: a, command: "true", outputs: [same.md] }',
      '  - { id: b, command: "true", outputs: [same.md], inputs: [missing.md, "${INITIAL_MD_PATH}"] }',
    ].join('\n'),
  });
  assert.deepEqual(problems(dir), [
    'flow.yaml:4:41: output same.md is also an output of phase a: two phases would write one file',
    'flow.yaml:4:60: input missing.md does not exist, and no phase produces it',
    'flow.yaml:4:72: input is empty (a variable such as ${INITIAL_MD_PATH} is not set: pass --initial FILE)',
  ]);
});

test('variables: names, built-ins, and --var', (t) => {
  const dir = project(t, {
    'flow.yaml': [
      'vars: { "bad-name": x, FEATURE_NAME: y }',
      'defaults: { agent: command }',
      'phases:',
      '  - { id: a, argv: [echo, "${TOPIC}"] }',
    ].join('\n'),
  });
  const found = problems(dir);
  assert.match(found[0] ?? '', /^flow\.yaml:1:9: variable name "bad-name" must match/);
  assert.match(found[1] ?? '', /^flow\.yaml:1:24: variable "FEATURE_NAME" is set by parex/);
  assert.match(found[2] ?? '', /^flow\.yaml:4:27: unknown template variable \$\{TOPIC\}/);
  const fixed = project(t, {
    'flow.yaml': 'defaults: { agent: command }\nphases:\n  - { id: a, argv: [echo, "${TOPIC}"] }\n',
  });
  const plan = prepareWorkflowRun({
    workflowFile: 'flow.yaml',
    cwd: fixed,
    feature: 'f',
    vars: ['TOPIC=auth'],
  });
  assert.deepEqual(plan.phases.at(0)?.invocation.argv, ['echo', 'auth']);
  for (const bad of ['TOPIC', 'A-B=1', 'FEATURE_NAME=x']) {
    assert.throws(
      () =>
        prepareWorkflowRun({ workflowFile: 'flow.yaml', cwd: fixed, feature: 'f', vars: [bad] }),
      UsageError,
      bad,
    );
  }
});

test('JSON workflows are accepted, with positions in their errors too', (t) => {
  const dir = project(t, {
    'flow.json':
      '{\n  "defaults": {"agent": "command"},\n  "phases": [\n    {"id": "a", "command": "true", "bogus": 1}\n  ]\n}\n',
    'good.json': '{"defaults": {"agent": "command"}, "phases": [{"id": "a", "command": "true"}]}',
  });
  assert.throws(
    () => prepareWorkflowRun({ workflowFile: 'flow.json', cwd: dir, feature: 'f' }),
    (error: unknown) =>
      error instanceof UsageError && error.what.includes('flow.json:4:36: unknown key "bogus"'),
  );
  assert.equal(
    prepareWorkflowRun({ workflowFile: 'good.json', cwd: dir, feature: 'f' }).phases.length,
    1,
  );
});

test('the feature comes from --feature, else --initial, else the workflow name; each is validated', (t) => {
  const dir = project(t, {
    'prps/INITIAL_user_auth.md': '# request\n',
    'flow.yaml':
      'name: demo\ndefaults: { agent: command }\nphases:\n  - { id: a, command: "true" }\n',
    'bad name.yaml': 'defaults: { agent: command }\nphases:\n  - { id: a, command: "true" }\n',
  });
  const plan = (extra: object) =>
    prepareWorkflowRun({ workflowFile: 'flow.yaml', cwd: dir, ...extra });
  assert.equal(plan({}).feature, 'demo');
  assert.equal(plan({ initial: 'prps/INITIAL_user_auth.md' }).feature, 'user_auth');
  assert.equal(plan({ feature: 'x', initial: 'prps/INITIAL_user_auth.md' }).feature, 'x');
  assert.throws(() => plan({ feature: '../evil' }), /invalid feature name/);
  assert.throws(() => plan({ initial: 'prps/INITIAL_missing.md' }), /does not exist/);
  assert.throws(() => plan({ agent: 'copilot' }), /unknown agent "copilot"/);
  assert.throws(
    () => prepareWorkflowRun({ workflowFile: 'bad name.yaml', cwd: dir }),
    /invalid feature name/,
  );
  assert.throws(
    () => prepareWorkflowRun({ workflowFile: 'none.yaml', cwd: dir }),
    /cannot read the workflow/,
  );
});

test('the shipped PRP workflow is valid, and its phase 2c does not read phase 2a output', () => {
  // Planning checks the hidden-dependency rule; it would throw if 2c read codebase-patterns.md.
  const cwd = path.resolve('.');
  const plan = prepareWorkflowRun({
    workflowFile: 'workflows/prp.yaml',
    cwd,
    feature: 'x',
    initial: 'README.md',
  });
  assert.deepEqual(
    [...plan.waves],
    [['phase1'], ['phase2a', 'phase2b', 'phase2c'], ['phase3'], ['phase4']],
  );
  const phase2c = [...plan.phases].find((phase) => phase.id === 'phase2c');
  assert.ok(phase2c?.prompt?.includes('feature-analysis.md'));
  assert.ok(!phase2c?.prompt?.includes('codebase-patterns.md'));
  assert.equal(plan.dirs.logs, 'prps/x/codex/logs');
});

test('schema and graph problems are reported together, each with the value received', (t) => {
  const dir = project(t, {
    'flow.yaml': [
      'defaults: { agent: command }',
      'dirs: { log: x }',
      'phases:',
      '  - id: a',
      '    command: "true"',
      '    needz: [b]',
      '    env: { DB_PASSWORD: 12345678, PLAIN: null }',
      '  - id: b',
      '    agent: codx',
      '    command: "true"',
      '    needs: [a, c, bb]',
      '  - { id: c, command: "true", needs: [b] }',
    ].join('\n'),
  });
  assert.deepEqual(problems(dir), [
    'flow.yaml:2:9: unknown key "log" (did you mean "logs"?)',
    'flow.yaml:6:5: unknown key "needz" (did you mean "needs"?)',
    'flow.yaml:7:25: DB_PASSWORD: expected a string; got a value (not shown: the key names a secret)',
    'flow.yaml:7:42: PLAIN: expected a string; got null',
    'flow.yaml:9:12: agent: "codx" is not one of codex, claude, gemini, command (did you mean "codex"?)',
    'flow.yaml:11:12: dependency cycle: b -> c -> b',
    'flow.yaml:11:19: unknown phase "bb" in needs (did you mean "b"?) (phases: a, b, c)',
  ]);
});
