#!/usr/bin/env node
// npm run bench:pool: the pool of workers (issue 15) side by side with local runs, against a
// throw-away redis-server on a free loopback port: 500 x true through one worker vs parex exec
// here (dispatch overhead per job); 200 x sleep 1 with 1, 2 and 4 workers of concurrency 8
// (throughput against linear); 8 x 64 MiB of output through a worker vs here (log streaming); 8
// isolated one-file edits here vs on two workers (git bundles both ways).
// Options: --smoke (tiny sizes), --workloads dispatch,scaling,logs,isolated (some), --cpu-prof DIR
// (V8 profiles of the pool side), --dir PARENT (where the runs, their logs and the workers'
// workdirs go; default /dev/shm when it has room, as for bench/run.mjs, else the temp dir).
// Prints a Markdown table; figures go into BENCHMARKS.md.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
// The pool the tests use (built by npm run build): redis-server on a free port, parex worker.
import { startRedis, startWorker as startTestWorker } from '../dist/test/helpers/pool.js';
import { makeWorkDir } from './lib/setup.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist/bin/parex.cjs');
const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    workloads: { type: 'string', default: 'dispatch,scaling,logs,isolated' },
    'cpu-prof': { type: 'string' },
    dir: { type: 'string' },
  },
});
const smoke = values.smoke;
const chosen = new Set(values.workloads.split(','));
const say = (line) => process.stderr.write(`[bench:pool] ${line}\n`);
const base = makeWorkDir(values.dir);
say(`runs and workers' workdirs in ${base}`);
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.startsWith('PAREX_')),
);
// --cpu-prof DIR: V8 CPU profiles of the workers and the pooled coordinators (bench/profile.mjs).
const profiled =
  values['cpu-prof'] === undefined
    ? []
    : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof'])}`];

/** CPU seconds (user + system) a living process has used so far, or 0 once it is gone. */
function cpuSeconds(pid) {
  const [user, system] = cpuTimes(pid);
  return user + system;
}

/** The user and system CPU seconds of `pid` ([0, 0] once it is gone). */
function cpuTimes(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [Number(fields[11]) / 100, Number(fields[12]) / 100];
  } catch {
    return [0, 0];
  }
}

/** A `parex worker` of concurrency `concurrency`; resolves with a function that stops it (and
 * says the CPU time it used). */
async function startWorker(url, name, concurrency) {
  const flags = ['--concurrency', String(concurrency)];
  const worker = await startTestWorker(url, name, base, flags, {}, profiled);
  return async () => {
    const [user, system] = cpuTimes(worker.child.pid);
    say(`  worker ${name}: ${(user + system).toFixed(2)} s CPU (${system.toFixed(2)} s system)`);
    await worker.stop();
  };
}

/** A repository of a few files pushed to a bare remote (the workers clone it). */
function isolatedRepo() {
  const dir = mkdtempSync(path.join(base, 'repo-'));
  const repo = path.join(dir, 'repo');
  const git = (cwd, ...args) => execFileSync('git', args, { cwd, stdio: 'ignore' });
  execFileSync('mkdir', ['-p', repo]);
  git(repo, 'init', '-q', '-b', 'main');
  for (let i = 0; i < 5; i += 1) writeFileSync(path.join(repo, `f${i}.txt`), `file ${i}\n`);
  writeFileSync(path.join(repo, '.gitignore'), '.parex/\n');
  git(repo, 'add', '-A');
  git(
    repo,
    '-c',
    'user.name=bench',
    '-c',
    'user.email=bench@localhost',
    'commit',
    '-q',
    '-m',
    'initial',
  );
  git(dir, 'init', '-q', '--bare', 'remote.git');
  git(repo, 'remote', 'add', 'origin', '../remote.git');
  git(repo, 'push', '-q', 'origin', 'main');
  return repo;
}

/** Runs parex with `args` in `dir` (a fresh directory by default, kept until the end: on ext4
 * without a journal, as here, every file made soon after many were deleted costs more, so a
 * run's logs deleted before the next run would slow that one); resolves with the wall time in
 * seconds. */
async function timed(label, args, dir = null) {
  const cwd = dir ?? mkdtempSync(path.join(base, 'run-'));
  const started = process.hrtime.bigint();
  const node = args.includes('--redis') ? profiled : [];
  const child = spawn(process.execPath, [...node, CLI, ...args], {
    cwd,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  // Its CPU time as last seen (every 20 ms) before it exited.
  let cpu = 0;
  let system = 0;
  const watch = setInterval(() => {
    const [nowUser, nowSystem] = cpuTimes(child.pid);
    cpu = Math.max(cpu, nowUser + nowSystem);
    system = Math.max(system, nowSystem);
  }, 20);
  const [code] = await once(child, 'exit');
  clearInterval(watch);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`${label} exited ${code}: ${stderr.slice(-2000)}`);
  say(
    `${label}: ${seconds.toFixed(2)} s (parex itself ${cpu.toFixed(2)} s CPU, ${system.toFixed(2)} s system)`,
  );
  return seconds;
}

const rows = [];
const redis = await startRedis();
const url = redis.url;
/** The redis-server's own CPU seconds so far (INFO server's process_id), or NaN without redis-cli. */
function redisCpu() {
  try {
    const info = execFileSync('redis-cli', ['-p', String(redis.port), 'info', 'server'], {
      encoding: 'utf8',
    });
    return cpuSeconds(Number(/process_id:(\d+)/.exec(info)?.[1]));
  } catch {
    return Number.NaN;
  }
}
/** Redis's commands so far, by name (INFO commandstats: calls), or an empty map without redis-cli. */
function redisCalls() {
  try {
    const info = execFileSync('redis-cli', ['-p', String(redis.port), 'info', 'commandstats'], {
      encoding: 'utf8',
    });
    return new Map(
      [...info.matchAll(/cmdstat_([^:]+):calls=(\d+)/g)].map((m) => [m[1], Number(m[2])]),
    );
  } catch {
    return new Map();
  }
}
/** Says redis-server's CPU since `cpu` and its commands since `calls`, per job of `n`. */
function sayRedis(cpu, calls, n) {
  say(`  redis-server: ${(redisCpu() - cpu).toFixed(2)} s CPU`);
  const now = redisCalls();
  const perJob = [...now]
    .map(([name, count]) => [name, (count - (calls.get(name) ?? 0)) / n])
    .filter(([, count]) => count >= 0.01)
    .sort((a, b) => b[1] - a[1]);
  const total = perJob.reduce((sum, [, count]) => sum + count, 0);
  say(
    `  redis commands per job: ${total.toFixed(2)} (${perJob.map(([name, count]) => `${name} ${count.toFixed(2)}`).join(', ')})`,
  );
}
try {
  // 1. Dispatch overhead: N x true.
  if (chosen.has('dispatch')) {
    const n = smoke ? 50 : 500;
    const trues = Array.from({ length: n }, () => 'true');
    const local = await timed(`local ${n} x true -j 8`, ['exec', '-q', '-j', '8', '--', ...trues]);
    const stop = await startWorker(url, 'd1', 8);
    const redisBefore = redisCpu();
    const callsBefore = redisCalls();
    const pooled = await timed(`pool ${n} x true, 1 worker x 8`, [
      'exec',
      '-q',
      '--redis',
      url,
      '--',
      ...trues,
    ]);
    sayRedis(redisBefore, callsBefore, n);
    await stop();
    const perJobMs = ((pooled - local) / n) * 1000;
    rows.push([
      `${n} x true: local -j 8 vs 1 worker x 8`,
      `${local.toFixed(2)} s vs ${pooled.toFixed(2)} s`,
      `${perJobMs.toFixed(2)} ms added per job`,
      perJobMs <= 3 ? 'met (<= 3 ms)' : 'missed (<= 3 ms)',
    ]);
  }

  // 2. Scaling: M x sleep 1 over 1, 2, 4 workers of concurrency 8.
  if (chosen.has('scaling')) {
    const m = smoke ? 32 : 200;
    const sleeps = Array.from({ length: m }, () => 'sleep 1');
    const byWorkers = {};
    for (const count of smoke ? [1, 2] : [1, 2, 4]) {
      const stops = await Promise.all(
        Array.from({ length: count }, (_, i) => startWorker(url, `s${count}-${i}`, 8)),
      );
      byWorkers[count] = await timed(`pool ${m} x sleep 1, ${count} worker(s) x 8`, [
        'exec',
        '-q',
        '--redis',
        url,
        '--',
        ...sleeps,
      ]);
      await Promise.all(stops.map((one) => one()));
    }
    for (const [count, seconds] of Object.entries(byWorkers)) {
      const ideal = Math.ceil(m / (8 * Number(count)));
      const efficiency = ideal / seconds;
      rows.push([
        `${m} x sleep 1, ${count} worker(s) x 8`,
        `${seconds.toFixed(2)} s (ideal ${ideal} s)`,
        `${(efficiency * 100).toFixed(0)}% of linear`,
        efficiency >= 0.9 ? 'met (>= 90%)' : 'missed (>= 90%)',
      ]);
    }
  }

  // 3. Log streaming: K x 64 MiB.
  if (chosen.has('logs')) {
    const k = smoke ? 2 : 8;
    const mib = smoke ? 8 : 64;
    const big = Array.from({ length: k }, () => `head -c ${mib * 1048576} /dev/zero`);
    const localBig = await timed(`local ${k} x ${mib} MiB`, ['exec', '-q', '--', ...big]);
    const stopOut = await startWorker(url, 'o1', 8);
    const redisBefore = redisCpu();
    const pooledBig = await timed(`pool ${k} x ${mib} MiB, 1 worker x 8`, [
      'exec',
      '-q',
      '--redis',
      url,
      '--',
      ...big,
    ]);
    say(`  redis-server: ${(redisCpu() - redisBefore).toFixed(2)} s CPU`);
    await stopOut();
    const ratio = localBig / pooledBig;
    rows.push([
      `${k} x ${mib} MiB of output`,
      `${localBig.toFixed(2)} s vs ${pooledBig.toFixed(2)} s`,
      `${((k * mib) / pooledBig).toFixed(0)} MiB/s through the pool, ${(ratio * 100).toFixed(0)}% of local`,
      ratio >= 0.5 ? 'met (>= 50%)' : 'missed (>= 50%)',
    ]);
  }

  // 4. Isolated jobs: K x a one-file edit in its own worktree, here vs on two workers.
  if (chosen.has('isolated')) {
    const k = smoke ? 4 : 8;
    const repo = isolatedRepo();
    const edits = Array.from({ length: k }, (_, i) => `echo ${i} > out${i}.txt`);
    const isolate = ['exec', '-q', '--isolate', '--worktrees-dir', path.join(base, 'wt')];
    const localRun = await timed(
      `local ${k} x isolated -j ${k}`,
      [...isolate, '-j', String(k), '--', ...edits],
      repo,
    );
    const stops = await Promise.all(['i1', 'i2'].map((name) => startWorker(url, name, k / 2)));
    const pooledRun = await timed(
      `pool ${k} x isolated, 2 workers x ${k / 2}`,
      [...isolate, '--redis', url, '--', ...edits],
      repo,
    );
    await Promise.all(stops.map((one) => one()));
    rows.push([
      `${k} x isolated edit: local -j ${k} vs 2 workers x ${k / 2}`,
      `${localRun.toFixed(2)} s vs ${pooledRun.toFixed(2)} s`,
      `${(pooledRun / localRun).toFixed(2)}x local`,
      'none (measured)',
    ]);
  }
} finally {
  await redis.stop();
  rmSync(base, { recursive: true, force: true });
}
process.stdout.write(
  `| workload | local vs pool | figure | target |\n| --- | --- | --- | --- |\n${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}\n`,
);
