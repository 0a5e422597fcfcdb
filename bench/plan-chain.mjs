#!/usr/bin/env node
// node bench/plan-chain.mjs [N...]: `parex run --dry-run` of a workflow whose N command phases
// form one dependency chain (and of a wide one: N phases all needed by one last phase), timed,
// with the peak memory from GNU time when it is there, and that peak less the peak of a
// 10-phase workflow of the same kind per phase (what each phase costs). Figures go to
// BENCHMARKS.md. `--cli PATH` times another build's dist/bin/parex.cjs (before/after).
// `--run`: instead, RUN (not --dry-run) a chain of N `true` command phases, timed the same way.
// Last, for each kind, the peak at the biggest N over the peak at the smallest ("flat" is near 1).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const cliAt = args.indexOf('--cli');
const CLI =
  cliAt >= 0
    ? path.resolve(args[cliAt + 1] ?? '')
    : path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin', 'parex.cjs');
const realRun = args.includes('--run');
const sizes = args
  .filter((_, index) => cliAt < 0 || (index !== cliAt && index !== cliAt + 1))
  .filter((arg) => arg !== '--run')
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
      command: realRun ? 'true' : `echo ${i}`,
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

/** Plans one workflow: wall seconds, CPU seconds and peak KB (null without GNU time). */
function plan(n, shape, format) {
  const file = path.join(dir, `${shape}-${n}.${format}`);
  writeFileSync(file, workflow(n, shape, format));
  const command = gnuTime
    ? ['/usr/bin/time', '-f', '%U %S %M', process.execPath]
    : [process.execPath];
  const started = process.hrtime.bigint();
  const mode = realRun ? ['-q'] : ['--dry-run'];
  const run = spawnSync(command[0], [...command.slice(1), CLI, 'run', file, ...mode], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const [user, sys, kb] = gnuTime ? (run.stderr.trim().split('\n').at(-1) ?? '').split(' ') : [];
  return {
    seconds,
    cpu: gnuTime ? Number(user) + Number(sys) : null,
    kb: gnuTime ? Number(kb) : null,
    waves: (run.stdout.match(/^wave /gm) ?? []).length,
    ok: run.status === 0 ? 'ok' : `exit ${run.status}: ${run.stderr.slice(0, 200)}`,
  };
}

const KINDS = realRun
  ? [['chain', 'json']]
  : [
      ['chain', 'json'],
      ['wide', 'json'],
      ['chain', 'yaml'],
    ];
try {
  const base = new Map(KINDS.map(([shape, format]) => [shape + format, plan(10, shape, format)]));
  const peaks = new Map();
  const runSizes = sizes.length > 0 ? sizes : realRun ? [20000] : [1000, 10000, 100000];
  for (const n of runSizes) {
    for (const [shape, format] of KINDS) {
      const run = plan(n, shape, format);
      if (run.kb !== null) peaks.set(`${shape} ${format} ${n}`, run.kb);
      const small = base.get(shape + format);
      const cpu = run.cpu === null ? '' : `, ${run.cpu.toFixed(2)} s CPU`;
      const peak = run.kb === null ? '-' : `${Math.round(run.kb / 1024)} MB`;
      const perPhase =
        run.kb === null || small?.kb == null
          ? ''
          : `, ${Math.round(((run.kb - small.kb) * 1024) / n)} bytes/phase over 10 phases (${Math.round(small.kb / 1024)} MB)`;
      process.stdout.write(
        `${shape} ${n} (${format}): ${run.seconds.toFixed(2)} s wall${cpu}, peak ${peak}${perPhase}, ${run.waves} waves, ${run.ok}\n`,
      );
    }
  }
  // "Flat": the peak of the biggest workflow over that of the smallest (1.0 = no growth at all).
  const [least, most] = [Math.min(...runSizes), Math.max(...runSizes)];
  for (const [shape, format] of KINDS) {
    const low = peaks.get(`${shape} ${format} ${least}`);
    const high = peaks.get(`${shape} ${format} ${most}`);
    if (least < most && low !== undefined && high !== undefined)
      process.stdout.write(
        `${shape} (${format}): peak at ${most} is ${(high / low).toFixed(2)} times the peak at ${least}\n`,
      );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
