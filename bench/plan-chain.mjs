#!/usr/bin/env node
// node bench/plan-chain.mjs [N...]: `parex run --dry-run` of a workflow whose N command phases
// form one dependency chain (and of a wide one: N phases all needed by one last phase), timed,
// with the peak memory from GNU time when it is there. Figures go to BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'dist',
  'bin',
  'parex.cjs',
);
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const dir = mkdtempSync(path.join(os.tmpdir(), 'parex-plan-'));
const gnuTime = existsSync('/usr/bin/time');

/** The phases of a chain (each needs the previous) or of a fan-in (the last needs all). */
function phasesOf(n, shape) {
  const phases = [];
  for (let i = 0; i < n; i += 1) {
    phases.push({
      id: `p${i}`,
      command: `echo ${i}`,
      needs: shape === 'chain' && i > 0 ? [`p${i - 1}`] : [],
    });
  }
  if (shape === 'wide')
    phases.push({ id: 'last', command: 'echo last', needs: phases.map((p) => p.id) });
  return phases;
}

/** The workflow as YAML (block style, as a person would write it) or JSON. */
function workflow(n, shape, format) {
  const phases = phasesOf(n, shape);
  const head = { name: 'big', defaults: { agent: 'command', timeout: 60 }, dirs: { logs: 'logs' } };
  if (format === 'json') return JSON.stringify({ ...head, phases });
  const lines = [
    'name: big',
    'defaults: { agent: command, timeout: 60 }',
    'dirs: { logs: logs }',
    'phases:',
  ];
  for (const phase of phases) {
    lines.push(`  - id: ${phase.id}`, `    command: ${phase.command}`);
    if (phase.needs.length > 0)
      lines.push('    needs:', ...phase.needs.map((need) => `      - ${need}`));
  }
  return `${lines.join('\n')}\n`;
}

try {
  for (const n of sizes.length > 0 ? sizes : [1000, 10000, 100000]) {
    for (const [shape, format] of [
      ['chain', 'json'],
      ['wide', 'json'],
      ['chain', 'yaml'],
    ]) {
      const file = path.join(dir, `${shape}-${n}.${format}`);
      writeFileSync(file, workflow(n, shape, format));
      const args = gnuTime
        ? ['/usr/bin/time', '-f', '%U %S %M', process.execPath]
        : [process.execPath];
      const started = process.hrtime.bigint();
      const run = spawnSync(args[0], [...args.slice(1), CLI, 'run', file, '--dry-run'], {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const [user, sys, kb] = gnuTime
        ? (run.stderr.trim().split('\n').at(-1) ?? '').split(' ')
        : [];
      const cpu = gnuTime ? `, ${(Number(user) + Number(sys)).toFixed(2)} s CPU` : '';
      const peak = gnuTime ? `${Math.round(Number(kb) / 1024)} MB` : '-';
      const waves = (run.stdout.match(/^wave /gm) ?? []).length;
      const ok = run.status === 0 ? 'ok' : `exit ${run.status}: ${run.stderr.slice(0, 200)}`;
      process.stdout.write(
        `${shape} ${n} (${format}): ${seconds.toFixed(2)} s wall${cpu}, peak ${peak}, ${waves} waves, ${ok}\n`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
