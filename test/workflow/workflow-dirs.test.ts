// The workflow's feature and planning directories: made before the first phase starts, and a
// place where they cannot be made is a usage error (exit 2) with nothing of the run written.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { writeWorkflow } from '../helpers/faults.js';
import { tempDir } from '../helpers/tmp.js';

const FLOW = [
  'name: flow',
  'phases:',
  '  - { id: one, agent: command, command: \'ls "$FEATURE_DIR" "$PLANNING_DIR" > seen.txt\' }',
];

test('a run makes the feature and planning directories before its phases start', async (t) => {
  const dir = tempDir(t);
  writeWorkflow(dir, FLOW);
  const run = await runCli(['run', 'flow.yaml', '--feature', 'billing'], {
    cwd: dir,
    env: parexEnv(null),
  });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(existsSync(path.join(dir, '.parex/features/billing/planning')));
  assert.ok(existsSync(path.join(dir, 'seen.txt')));
});

test('a feature directory that cannot be made: exit 2, what, why, fix; nothing written', async (t) => {
  const dir = tempDir(t);
  writeWorkflow(dir, FLOW);
  writeFileSync(path.join(dir, '.parex'), 'a file, not a directory\n');
  const before = readdirSync(dir).sort();
  const run = await runCli(['run', 'flow.yaml', '--feature', 'billing'], {
    cwd: dir,
    env: parexEnv(null),
  });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /cannot make the workflow directory \.parex\/features\/billing/);
  assert.match(run.stderr, /why: the phases write their outputs under/);
  assert.match(run.stderr, /fix: change dirs: in the workflow/);
  assert.deepEqual(readdirSync(dir).sort(), before);
});
