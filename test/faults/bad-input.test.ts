// Bad input is a clear error, never a stack trace, a hang or a silent acceptance: alias bombs,
// oversize or special workflow files, deep and wide graphs, /proc log directories, invalid
// workflow names (nothing created), `runs -n` values, and no warning on stderr under -q.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { findCycle, waves } from '../../src/graph/topology.js';
import { prepareWorkflowRun } from '../../src/workflow/prepare.js';
import { runCli } from '../helpers/cli.js';
import { parexEnv } from '../helpers/exec.js';
import { assertNoneMarked, writeWorkflow } from '../helpers/faults.js';
import { killedAfter } from '../helpers/processes.js';
import { tempDir } from '../helpers/tmp.js';

const ALIAS_BOMB = [
  'name: bomb',
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'phases:',
  '  - { id: x, agent: command, command: echo }',
];

/** `parex run FILE --dry-run` in `dir`: exit 2, one problem line, no stack trace. */
async function refused(dir: string, file: string, problem: RegExp): Promise<void> {
  const run = await runCli(['run', file, '--dry-run'], { cwd: dir, limitMs: 30_000 });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, problem);
  assert.doesNotMatch(run.stderr, /\n\s+at |Error:/, 'no stack trace');
  assert.equal(run.stdout, '');
}

test('an alias bomb is a workflow problem at its line and column', async (t) => {
  const dir = tempDir(t);
  writeWorkflow(dir, ALIAS_BOMB);
  await refused(dir, 'flow.yaml', /flow\.yaml:\d+:\d+: aliases expand to too many values/);
});

test('a workflow over 10 MB, a FIFO and nesting too deep are workflow problems', async (t) => {
  const dir = tempDir(t);
  const big = path.join(dir, 'big.yaml');
  writeFileSync(big, '');
  truncateSync(big, 10 * 1024 * 1024 + 1);
  await refused(
    dir,
    'big.yaml',
    /big\.yaml:1:1: the file has 10485761 bytes, more than the limit of 10485760/,
  );
  execFileSync('mkfifo', [path.join(dir, 'fifo.yaml')]);
  await refused(dir, 'fifo.yaml', /fifo\.yaml:1:1: not a regular file/);
  writeFileSync(
    path.join(dir, 'deep.yaml'),
    `phases: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`,
  );
  await refused(
    dir,
    'deep.yaml',
    /deep\.yaml:1:\d+: the values are nested deeper than parex can read/,
  );
});

test('a workflow named ../evil is refused before any directory is made', async (t) => {
  const dir = tempDir(t);
  writeWorkflow(dir, [
    'name: ../evil',
    'defaults: { agent: command }',
    'dirs: { logs: logs, feature: feat, planning: plan }',
    'phases:',
    '  - { id: a, command: "true" }',
  ]);
  const run = await runCli(['run', 'flow.yaml', '--feature', 'f'], { cwd: dir });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /flow\.yaml:1:7: invalid workflow name "\.\.\/evil"/);
  assert.deepEqual(readdirSync(dir), ['flow.yaml'], 'nothing was created');
});

test('graphs of 30,000 phases (bench/plan-chain.mjs: 100,000): a chain and a wide fan-in plan without recursion', (t) => {
  const dir = tempDir(t);
  const count = 30_000;
  const chain = Array.from({ length: count }, (_, i) => ({
    id: `p${i}`,
    command: `echo ${i}`,
    ...(i === 0 ? {} : { needs: [`p${i - 1}`] }),
  }));
  const wide = [
    ...Array.from({ length: count }, (_, i) => ({ id: `p${i}`, command: 'true' })),
    { id: 'last', command: 'true', needs: Array.from({ length: count }, (_, i) => `p${i}`) },
  ];
  for (const [name, phases, depth] of [
    ['chain', chain, count],
    ['wide', wide, 2],
  ] as const) {
    const file = `${name}.json`;
    writeFileSync(
      path.join(dir, file),
      JSON.stringify({ name, defaults: { agent: 'command' }, dirs: { logs: 'logs' }, phases }),
    );
    const plan = prepareWorkflowRun({ workflowFile: file, cwd: dir, feature: 'f' });
    assert.equal(plan.waves.length, depth, name);
    assert.equal(plan.phases.length, phases.length);
  }
  // A cycle at the end of a long chain is found, without a stack overflow.
  const nodes = chain.map((phase) => ({ name: phase.id, needs: phase.needs ?? [] }));
  nodes[0] = { name: 'p0', needs: [`p${count - 1}`] };
  assert.equal(findCycle(nodes)?.length, count + 1);
  assert.equal(waves(nodes.slice(1)).length, count - 1);
});

test('a log directory under /proc or /sys fails at once with exit 2', async (t) => {
  const dir = tempDir(t);
  for (const logDir of ['/proc/nope', '/proc/nope/deeper', '/sys/nope']) {
    const run = await runCli(['exec', '--log-dir', logDir, '--', 'true'], {
      cwd: dir,
      limitMs: 20_000,
    });
    assert.equal(run.code, 2, `${logDir}: ${run.stderr}`);
    assert.match(run.stderr, /is on the kernel's (proc|sysfs) file system/);
  }
  assert.equal(existsSync(path.join(dir, '.parex')), false, 'no history was written');
});

test('runs -n takes positive whole numbers only', async (t) => {
  const dir = tempDir(t);
  for (const value of ['-5', '0', '1.5', 'all']) {
    const run = await runCli(['runs', '-n', value], { cwd: dir });
    assert.equal(run.code, 2, `${value}: ${run.stderr}`);
    assert.match(run.stderr, /-n\/--limit must be a whole number of runs, 1 or more/);
  }
  const ok = await runCli(['runs', '-n', '3'], { cwd: dir });
  assert.equal(ok.code, 0, ok.stderr);
});

test('-q with more than 10 jobs, retries and a stagger prints nothing on stderr', async (t) => {
  const dir = tempDir(t);
  const marker = killedAfter(t);
  const commands = Array.from({ length: 14 }, (_, i) =>
    i === 0 ? 'sleep 0.3; echo 429; exit 1' : 'sleep 0.3',
  );
  const run = await runCli(
    ['exec', '-q', '--retries', '1', '--retry-delay', '0.1', '--stagger', '5', '--', ...commands],
    { cwd: dir, env: parexEnv(marker) },
  );
  assert.equal(run.code, 1);
  assertNoneMarked(marker);
  assert.equal(run.stderr, '', 'no MaxListenersExceededWarning or anything else');
});

test('report --html to a directory or an unwritable place is exit 2 with the errno', async (t) => {
  const dir = tempDir(t);
  const run = await runCli(['exec', '-q', '--log-dir', 'logs', '--', 'true'], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  for (const [flag, target, errno] of [
    ['--html', dir, 'EISDIR'],
    ['--md', '/proc/nope/report.md', 'ENOENT'],
  ] as const) {
    const report = await runCli(['report', 'logs', flag, target], { cwd: dir });
    assert.equal(report.code, 2, report.stderr);
    assert.match(report.stderr, new RegExp(`cannot write the report to .* \\(${errno}\\)`));
    assert.doesNotMatch(report.stderr, /\n\s+at /, 'no stack trace');
  }
});
