// The schema check a phase at a time says exactly what the check of the whole workflow says:
// the same checked value, the same issues at the same paths, with the values received.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { checkShape } from '../../src/workflow/check-shape.js';
import { KNOWN_KEYS, phaseSchema, workflowSchema } from '../../src/workflow/schema.js';
import { readWorkflowSource } from '../../src/workflow/source.js';
import { tempDir } from '../helpers/tmp.js';

/** A phase that sets every key a phase may have. */
const FULL_PHASE = {
  id: 'full',
  description: 'every key',
  needs: ['a'],
  agent: 'claude',
  prompt: 'p.md',
  command: 'true',
  argv: ['true'],
  timeout: 5,
  idle_timeout: 2,
  outputs: ['out.md'],
  inputs: ['in.md'],
  env: { A: '1' },
  runs_on: ['gpu'],
  min_score: 7,
  budget: { cost_usd: 1, tokens: 1000 },
  expect_cost: 0.5,
  isolation: 'worktree',
  workspace: { copy: ['.env'], link: ['node_modules'], setup: 'npm ci', setup_timeout: 60 },
  candidates: [{ agent: 'codex' }, { model: 'm' }],
  judge: { score: 'Score' },
  model: 'm',
  profile: 'p',
  sandbox: 'read-only',
  permission_mode: 'plan',
  approval_mode: 'default',
  allowed_tools: ['Read'],
  max_turns: 3,
  trust: true,
  agent_home: 'per-job',
};

test('a phase passes its check unchanged, so the parsed phase is the checked one', () => {
  // A key added to the schema must be added here, with a value, to be covered.
  assert.deepEqual(Object.keys(FULL_PHASE).sort(), [...KNOWN_KEYS.phase].sort());
  const checked = phaseSchema.safeParse(structuredClone(FULL_PHASE));
  assert.ok(checked.success, JSON.stringify(checked.error?.issues));
  assert.deepEqual(checked.data, FULL_PHASE);
});

test('a good workflow: the same value as the whole check (defaults transformed too)', () => {
  const workflow = {
    name: 'w',
    defaults: { agent: 'command', stagger_same_agent: '500ms', timeout: 3 },
    vars: { N: 1 },
    phases: [{ id: 'a', command: 'true' }, FULL_PHASE],
  };
  const whole = workflowSchema.safeParse(structuredClone(workflow));
  const each = checkShape(structuredClone(workflow));
  assert.ok(whole.success);
  assert.deepEqual(each.data, whole.data);
  assert.equal(each.data?.defaults?.stagger_same_agent, 0.5);
});

test('a bad workflow: every issue of the whole check, at the same path, with what was received', () => {
  const bad = [
    {
      nmae: 'typo',
      defaults: { agent: 'nope', timeout: -1 },
      phases: [
        { id: 'a', command: 'true', neds: ['b'] },
        { id: 'b', timeout: '5' },
        'not a phase',
        { id: 7, runs_on: ['bad tag'] },
      ],
    },
    { name: 'empty', phases: [] },
    { name: 'no list', phases: { id: 'a' } },
    { name: 'no phases' },
    ['not', 'a', 'mapping'],
    null,
  ];
  for (const data of bad) {
    const whole = workflowSchema.safeParse(structuredClone(data), { reportInput: true });
    const each = checkShape(structuredClone(data));
    assert.equal(whole.success, false);
    assert.equal(each.data, null);
    const key = (issues: readonly unknown[]) => issues.map((issue) => JSON.stringify(issue)).sort();
    assert.deepEqual(key(each.issues), key(whole.error?.issues ?? []), JSON.stringify(data));
  }
});

test('positions are parsed again from the file, and never from a file changed since', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'flow.json');
  writeFileSync(file, '{\n  "phases": [\n    {"id": "a", "bogus": 1}\n  ]\n}\n');
  const source = readWorkflowSource(file);
  assert.deepEqual(source.at(['phases', 0], 'here', 'bogus'), {
    file,
    line: 3,
    column: 17,
    message: 'here',
  });
  const later = readWorkflowSource(file);
  writeFileSync(file, '{"phases": [{"id": "a"}]}\n');
  const moved = later.at(['phases', 0], 'here', 'bogus');
  assert.equal(moved.line, 0, 'no line of a text parex did not check');
  assert.match(moved.message, /^here \(no line given: the file changed after parex read it/);
});
