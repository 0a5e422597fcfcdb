#!/usr/bin/env node
// node bench/commands-file-memory.mjs [N...] [--output quiet|plain|both] [--command true|echo]
//   [--cli PATH | --build LABEL=PATH ...] [--dir PARENT]: `parex exec -j 64 -a FILE` of N
// commands (default 10000 and 100000), each run's peak RSS (GNU time), its resident memory
// sampled every 5 s, the V8 heap left live after its last full GC (--trace-gc), wall time, and
// whether the summary and the manifest tell every job. Several builds (e.g. --build
// before=../main/dist/bin/parex.cjs --build after=dist/bin/parex.cjs) run side by side: for
// each size and output, one build after the other (or with --together, at the same time), so
// that the machine's load falls on both.
// `--output both` runs -q with `true` and plain mode with `echo $i`. The target: the peak at
// 100,000 within 1.15x the peak at 10,000. Figures go to BENCHMARKS.md ("100,000 commands from
// a file").
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : args.splice(at, 2)[1];
};
const builds = [];
for (let at = args.indexOf('--build'); at >= 0; at = args.indexOf('--build')) {
  const [label, file] = args.splice(at, 2)[1].split('=');
  builds.push({ label, cli: path.resolve(file) });
}
const own = fileURLToPath(new URL('../dist/bin/parex.cjs', import.meta.url));
if (builds.length === 0) builds.push({ label: 'this build', cli: option('--cli') ?? own });
// --together: the builds of one size and output run at the same time (the same load on each).
const together = args.includes('--together');
if (together) args.splice(args.indexOf('--together'), 1);
const outputOption = option('--output', 'quiet');
const kindOption = option('--command', null);
const modes =
  outputOption === 'both'
    ? [
        { output: 'quiet', kind: kindOption ?? 'true' },
        { output: 'plain', kind: kindOption ?? 'echo' },
      ]
    : [{ output: outputOption, kind: kindOption ?? 'true' }];
const parent = option('--dir', defaultParent());
const sizes = args.map(Number).filter((n) => n > 0);
if (sizes.length === 0) sizes.push(10_000, 100_000);
if (!existsSync('/usr/bin/time')) {
  console.error('GNU time is needed for the peak RSS: apt-get install -y time');
  process.exit(2);
}

function defaultParent() {
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.bavail * fs.bsize > 2 ** 31) return '/dev/shm';
  } catch {}
  return os.tmpdir();
}

/** One run: resolves with its figures. */
async function runOnce(n, { cli, output, kind }) {
  const dir = mkdtempSync(path.join(parent, 'parex-cmdfile-'));
  const file = path.join(dir, 'commands.txt');
  const lines = Array.from({ length: n }, (_, i) => (kind === 'echo' ? `echo ${i}` : 'true'));
  writeFileSync(file, `${lines.join('\n')}\n`);
  const logDir = path.join(dir, 'logs');
  const flags = output === 'quiet' ? ['-q'] : [];
  const argv = ['-f', '%M', process.execPath, '--trace-gc', cli, 'exec', ...flags];
  argv.push('-j', '64', '-a', file, '--log-dir', logDir);
  const started = Date.now();
  const child = spawn('/usr/bin/time', argv, {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text) => {
    stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text) => {
    stderr = (stderr + text).slice(-200_000);
  });
  const samples = [];
  const timer = setInterval(() => samples.push(residentKb(child.pid)), 5000);
  const code = await new Promise((resolve) => child.once('close', resolve));
  clearInterval(timer);
  const wallS = (Date.now() - started) / 1000;
  const peakKb = Number(stderr.trim().split('\n').at(-1));
  const live = [...stdout.matchAll(/Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\)/g)];
  const ends = countEnds(path.join(logDir, 'manifest.jsonl'));
  const summary = stderr.match(/\d+ jobs, all succeeded/)?.[0] ?? (output === 'quiet' ? '-q' : '?');
  rmSync(dir, { recursive: true, force: true });
  return {
    n,
    output: output === 'quiet' ? '-q' : 'plain',
    command: kind === 'echo' ? 'echo $i' : 'true',
    code,
    peakMb: peakKb / 1024,
    wallS,
    perJobMs: (wallS * 1000) / n,
    sampledMb: samples.filter((kb) => kb > 0).map((kb) => Math.round(kb / 1024)),
    liveHeapMb: live.length === 0 ? null : Number(live.at(-1)[1]),
    maxHeapMb: live.length === 0 ? null : Math.max(...live.map((m) => Number(m[2]))),
    ends,
    summary,
  };
}

function residentKb(pid) {
  // The node process is GNU time's child.
  try {
    const child = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n')[0];
    const status = readFileSync(`/proc/${child}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function countEnds(manifest) {
  try {
    return readFileSync(manifest, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"status":"success"')).length;
  } catch {
    return 0;
  }
}

const rows = [];
for (const n of sizes) {
  for (const mode of modes) {
    const run = async (build) => {
      const row = { build: build.label, ...(await runOnce(n, { cli: build.cli, ...mode })) };
      console.log(JSON.stringify(row));
      return row;
    };
    if (together) rows.push(...(await Promise.all(builds.map(run))));
    else for (const build of builds) rows.push(await run(build));
  }
}
console.log(
  `\n| build | output | commands | peak RSS | ÷ ${sizes[0]} | live heap after last full GC | wall | per job | manifest successes | summary |`,
);
console.log(
  '| ----- | ------ | -------: | -------: | ------: | ------: | ---: | ------: | ------: | ------- |',
);
for (const row of rows) {
  const first = rows.find((other) => other.build === row.build && other.output === row.output);
  console.log(
    `| ${row.build} | ${row.output}, \`${row.command}\` | ${row.n} | ${row.peakMb.toFixed(1)} MB | ${(row.peakMb / first.peakMb).toFixed(2)}x | ${row.liveHeapMb ?? '-'} MB | ${row.wallS.toFixed(1)} s | ${row.perJobMs.toFixed(2)} ms | ${row.ends} | ${row.summary} |`,
  );
}
