// Setup: find parex, install the peers into a scratch directory, pick a work directory, and
// describe the machine.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statfsSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const ROOT = path.dirname(BENCH_DIR);
const PEERS_DIR = path.join(BENCH_DIR, '.peers');
const say = (line) => process.stderr.write(`[bench] ${line}\n`);

/**
 * A snapshot of the built parex CLI (dist/ without the tests, package.json, a link to
 * node_modules) in `workDir`, so that a rebuild of dist/ during the run neither breaks it nor
 * mixes two builds. The entry is package.json's `bin.parex` (the file users run), or
 * dist/src/cli/main.js. Waits up to 2 minutes for a complete dist/; exits 2 if there is none.
 */
export async function snapshotParex(workDir) {
  const target = path.join(workDir, 'parex');
  for (let attempt = 0; attempt < 24; attempt += 1) {
    const found = copyBuild(target);
    if (found !== null) return { ...found, minRunner: path.join(BENCH_DIR, 'min-runner.mjs') };
    if (attempt === 0) say('waiting for a complete dist/ (is a build running?)');
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
  say('parex is not built: dist/ is missing or its CLI does not run');
  say(
    'build it first: npm run build (or npx tsc -p . && node scripts/bundle.mjs && node scripts/chmod-bin.mjs)',
  );
  process.exit(2);
}

function copyBuild(target) {
  const unbundled = path.join('dist', 'src', 'cli', 'main.js');
  if (!existsSync(path.join(ROOT, unbundled))) return null;
  rmSync(target, { recursive: true, force: true });
  try {
    const skipTests = (file) => !file.startsWith(path.join(ROOT, 'dist', 'test'));
    cpSync(path.join(ROOT, 'dist'), path.join(target, 'dist'), {
      recursive: true,
      filter: skipTests,
    });
    copyFileSync(path.join(ROOT, 'package.json'), path.join(target, 'package.json'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(target, 'node_modules'));
    const pkg = JSON.parse(readFileSync(path.join(target, 'package.json'), 'utf8'));
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.parex;
    const entry = bin && existsSync(path.join(target, bin)) ? path.normalize(bin) : unbundled;
    const parexMain = path.join(target, entry);
    const runs = (file) =>
      spawnSync(process.execPath, [file, 'exec', '--help'], { stdio: 'ignore' }).status === 0;
    if (!runs(parexMain)) return null;
    const other = path.join(target, unbundled);
    return {
      parexMain,
      entry,
      parexUnbundled: entry !== unbundled && runs(other) ? other : null,
      build: describeBuild(entry),
    };
  } catch {
    return null; // dist/ changed while it was copied: try again.
  }
}

/** `parex --version` of the snapshot. */
export function parexVersion(parexMain) {
  const result = spawnSync(process.execPath, [parexMain, '--version'], { encoding: 'utf8' });
  return result.stdout.trim() || 'unknown';
}

function describeBuild(entry) {
  const git = (...args) =>
    spawnSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).stdout.trim();
  const built = statSync(path.join(ROOT, entry)).mtime.toISOString();
  const dirty =
    git('status', '--porcelain', '--', 'src') === '' ? '' : ' with uncommitted src/ changes';
  return `commit ${git('rev-parse', '--short', 'HEAD')}${dirty}, entry ${entry} built ${built.slice(0, 19)}Z`;
}

/** Installs what is missing; returns the paths of the peers, null for any that could not be had. */
export function installPeers() {
  const parallel = which('parallel') ?? aptInstall('parallel', 'parallel');
  if (parallel === null) {
    say('GNU parallel is missing and could not be installed (apt-get install -y parallel failed);');
    say('its column will say "not installed". Install it with: sudo apt-get install -y parallel');
  }
  if (which('time') === null && !existsSync('/usr/bin/time')) aptInstall('time', 'time');
  return { parallel, concurrently: npmInstallConcurrently() };
}

function which(bin) {
  const found = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

function aptInstall(bin, pkg) {
  const root = process.getuid?.() === 0;
  const prefix = root ? [] : ['sudo', '-n'];
  if (!root && which('sudo') === null) return null;
  const apt = (...args) => {
    const [file, ...rest] = [...prefix, 'apt-get', ...args];
    const result = spawnSync(file, rest, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    return result.status === 0;
  };
  say(`installing ${pkg} from Debian (apt-get install -y ${pkg})`);
  const lock = ['-o', 'DPkg::Lock::Timeout=180'];
  if (!apt('install', '-y', ...lock, pkg)) {
    say('apt-get install failed; running apt-get update once and trying again');
    apt('update', ...lock);
    if (!apt('install', '-y', ...lock, pkg)) return null;
  }
  return which(bin);
}

function npmInstallConcurrently() {
  const pkgFile = path.join(PEERS_DIR, 'node_modules', 'concurrently', 'package.json');
  const installed = () => {
    try {
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
      return pkg.version.startsWith('9.') ? pkg : null;
    } catch {
      return null;
    }
  };
  if (installed() === null) {
    say(`installing concurrently@9 into ${path.relative(ROOT, PEERS_DIR)}/ (npm install --prefix)`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const args = ['install', '--prefix', PEERS_DIR, 'concurrently@9', '--no-audit', '--no-fund'];
    const result = spawnSync(npm, [...args, '--loglevel=error'], { stdio: 'inherit' });
    if (result.status !== 0)
      say('npm install concurrently@9 failed; its column will say "not installed"');
  }
  const pkg = installed();
  if (pkg === null) return null;
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.concurrently;
  return path.join(path.dirname(pkgFile), bin);
}

/** A fresh work directory for logs: tmpfs (/dev/shm) when it has room, else the system temp dir. */
export function makeWorkDir(requested) {
  let parent = requested ?? os.tmpdir();
  if (requested === undefined && existsSync('/dev/shm')) {
    try {
      const fs = statfsSync('/dev/shm');
      if (fs.bavail * fs.bsize > 4 * 1024 ** 3) parent = '/dev/shm';
    } catch {
      // Keep the temp dir.
    }
  }
  return mkdtempSync(path.join(parent, 'parex-bench-'));
}

/** Versions and hardware, for the report's header. */
export function describeMachine(peers) {
  const run = (file, args) => {
    try {
      return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .split('\n')[0]
        .trim();
    } catch {
      return 'not installed';
    }
  };
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  return {
    nproc: run('nproc', []),
    cpu,
    memGiB: (os.totalmem() / 1024 ** 3).toFixed(1),
    node: process.version,
    loadStart: os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' '),
    kernel: os.release(),
    os: run('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"']),
    parallel: peers.parallel ? run(peers.parallel, ['--version']) : 'not installed',
    xargs: run('xargs', ['--version']),
    concurrently: peers.concurrently
      ? run(process.execPath, [peers.concurrently, '--version'])
      : 'not installed',
  };
}
