import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';

import { UsageError } from '../../src/errors.js';
import { phaseWaves } from '../../src/workflow/phase-waves.js';
import { prepareWorkflowRun } from '../../src/workflow/prepare.js';
import { tempDir } from '../helpers/tmp.js';

test('waves by position: needs first, declared order inside a wave, forward needs and a diamond', () => {
  const ids = ['d', 'b', 'a', 'c', 'e'];
  const needs: Record<string, string[]> = { d: ['b', 'c'], b: ['a'], c: ['a'], e: [] };
  const waves = phaseWaves(ids, (index) =>
    (needs[ids[index] as string] ?? []).map((id) => ids.indexOf(id)),
  );
  assert.deepEqual([...waves], [['a', 'e'], ['b', 'c'], ['d']]);
  assert.equal(waves.length, 3);
  assert.deepEqual(
    [...waves.order].map((index) => ids[index]),
    ['a', 'e', 'b', 'c', 'd'],
  );
  assert.equal(waves.at(3), undefined);
  assert.equal(phaseWaves([], () => []).length, 0);
});

test('the plan keeps positions: each phase is built anew when asked, the same each time', (t) => {
  const dir = tempDir(t);
  writeFileSync(
    path.join(dir, 'flow.yaml'),
    [
      'name: flow',
      'vars: { WHO: world }',
      'defaults: { agent: command, isolation: worktree }',
      'phases:',
      '  - { id: a, command: "echo ${WHO} > a.txt", outputs: [a.txt] }',
      '  - id: pick',
      '    needs: [a]',
      '    candidates: [{ command: "echo 1" }, { command: "echo 2" }]',
      '    judge: { command: "echo Score: 5/10" }',
      '  - { id: z, needs: [pick], command: "cat a.txt", inputs: [a.txt], env: { EXTRA: x } }',
      '',
    ].join('\n'),
  );
  const plan = prepareWorkflowRun({ workflowFile: 'flow.yaml', cwd: dir, feature: 'f' });
  assert.deepEqual(plan.phases.ids, ['a', 'pick-c1', 'pick-c2', 'pick', 'z']);
  assert.equal(plan.phases.indexOf('pick'), 3);
  assert.equal(plan.phases.indexOf('nope'), -1);
  // The judge waits for its candidates (after); they carry its needs.
  assert.deepEqual(plan.phases.waitsFor(3), [1, 2]);
  assert.deepEqual([...plan.waves], [['a'], ['pick-c1', 'pick-c2'], ['pick'], ['z']]);
  const first = plan.phases.at(4);
  const again = plan.phases.at(4);
  assert.notEqual(first, again, 'built anew, not kept');
  assert.deepEqual(
    { ...first, adapter: null, shape: first?.shape },
    { ...again, adapter: null, shape: again?.shape },
  );
  assert.equal(first?.env.EXTRA, 'x');
  assert.equal(first?.env.PHASE_NAME, 'z');
  assert.equal(plan.phases.at(5), undefined);
  assert.equal(plan.phases.at(-1), undefined);
  const built = [...plan.phases];
  assert.deepEqual(
    built.map((phase) => phase.id),
    plan.phases.ids,
  );
  // The environments the secret scan reads are those of the phases.
  assert.deepEqual(
    [...plan.phases.envs()],
    built.map((phase) => phase.env),
  );
  // The shell expands ${WHO} from the phase's environment.
  assert.equal(plan.phases.at(0)?.env.WHO, 'world');
});

test('a cycle at the end of a 30,000-phase chain is a problem of the workflow, found without recursion', (t) => {
  const dir = tempDir(t);
  const count = 30_000;
  const phases = Array.from({ length: count }, (_, i) => ({
    id: `p${i}`,
    command: 'true',
    needs: [`p${(i + count - 1) % count}`],
  }));
  writeFileSync(
    path.join(dir, 'flow.json'),
    JSON.stringify({ name: 'flow', defaults: { agent: 'command' }, phases }),
  );
  assert.throws(
    () => prepareWorkflowRun({ workflowFile: 'flow.json', cwd: dir, feature: 'f' }),
    (error: unknown) =>
      error instanceof UsageError &&
      /dependency cycle: p0 -> p29999 -> p29998 -> /.test(error.what),
  );
});

test('a plan of 30,000 phases holds a few hundred bytes a phase (their workflow), not the planned phases', (t) => {
  const dir = tempDir(t);
  const count = 30_000;
  const phases = Array.from({ length: count }, (_, i) => ({
    id: `p${i}`,
    command: `echo ${i}`,
    ...(i === 0 ? {} : { needs: [`p${i - 1}`] }),
  }));
  writeFileSync(
    path.join(dir, 'flow.json'),
    JSON.stringify({ name: 'flow', defaults: { agent: 'command' }, phases }),
  );
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const held = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const before = held();
  const plan = prepareWorkflowRun({ workflowFile: 'flow.json', cwd: dir, feature: 'f' });
  const perPhase = (held() - before) / count;
  assert.equal(plan.phases.length, count);
  // Planned phases kept as objects held 1,100 bytes each; the compact plan holds about 330.
  assert.ok(perPhase < 700, `${Math.round(perPhase)} bytes a phase`);
});
