#!/usr/bin/env node
// node bench/workspaces.mjs [--runs N] [--jobs N]: the cost of isolation on repositories of
// 1,000 and 20,000 files (50 bytes each, 100 per directory): the base snapshot (once per run),
// then per job parex's set-up (start point + worktree, through the workspace hook) next to a
// plain `git worktree add`; and the barrier's conflict checks of 8 jobs that all finished, on
// the 20,000-file repository. Medians; needs `npm run build` first (it uses dist/src/).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { checkPair } from '../dist/src/workspace/conflicts.js';
import { worktreeWorkspaces } from '../dist/src/workspace/worktrees.js';

const { values } = parseArgs({ options: { runs: { type: 'string' }, jobs: { type: 'string' } } });
const RUNS = Number(values.runs ?? 5);
const JOBS = Number(values.jobs ?? 4);
const say = (line) => process.stdout.write(`${line}\n`);
const git = (cwd, ...args) =>
  execFileSync('git', ['-c', 'gc.auto=0', '-c', 'user.name=b', '-c', 'user.email=b@x', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;

function makeRepo(parent, files) {
  const dir = path.join(parent, `repo-${files}`);
  for (let i = 0; i < files; i += 1) {
    const sub = path.join(dir, `d${String(Math.floor(i / 100)).padStart(3, '0')}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, `f${i}.txt`), `file ${i}\n${'x'.repeat(40)}\n`);
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'files');
  git(dir, 'gc', '-q');
  // Some uncommitted work, as a user has.
  writeFileSync(path.join(dir, 'd000', 'f0.txt'), 'changed\n');
  writeFileSync(path.join(dir, 'untracked.txt'), 'new\n');
  return dir;
}

/** Per run: the snapshot (open), then per job a plain `git worktree add -b` (the same
 * branch-creating form parex uses) and parex's prepare, one after the other, so that the
 * machine's load drifts alike for both. */
async function setUpCosts(repo, parent) {
  const snapshots = [];
  const plain = [];
  const perJob = [];
  for (let run = 0; run < RUNS; run += 1) {
    const runId = `bench-${run}-${process.pid}`;
    const logDir = path.join(parent, `logs-${run}`);
    mkdirSync(logDir, { recursive: true });
    const jobs = Array.from({ length: JOBS }, (_, i) => ({
      name: `j${i}`,
      needs: [],
      logPath: '',
    }));
    const provider = worktreeWorkspaces({
      isolated: null,
      worktreesDir: path.join(parent, 'trees'),
    });
    const start = process.hrtime.bigint();
    const hook = await provider.open({
      runId,
      logDir,
      cwd: repo,
      jobs,
      onWarning: () => {},
      run: async () => ({ outcome: 'success', exitCode: 0 }),
    });
    snapshots.push(ms(start));
    for (const job of jobs) {
      const dir = path.join(parent, `plain-${run}-${job.name}`);
      const before = process.hrtime.bigint();
      git(repo, 'worktree', 'add', '-q', '-b', `plain-${run}-${job.name}`, dir, 'HEAD');
      plain.push(ms(before));
      git(repo, 'worktree', 'remove', '--force', dir);
      const began = process.hrtime.bigint();
      const ready = await hook.prepare(job);
      perJob.push(ms(began));
      if (!ready.ok) throw new Error(ready.reason);
    }
    const results = jobs.map((job) => ({ name: job.name, outcome: 'success' }));
    for (const job of jobs) await hook.finish(job, results[0]);
    await hook.close(results);
    execFileSync(
      'sh',
      [
        '-c',
        `git for-each-ref --format='delete %(refname)' refs/parex/${runId} refs/heads/parex/${runId} | git update-ref --stdin`,
      ],
      { cwd: repo },
    );
  }
  return { snapshot: median(snapshots), perJob: median(perJob), plain: median(plain) };
}

function conflictChecks(repo) {
  // 8 jobs that each changed 20 files; jobs 2k and 2k+1 share 5 files, one of them on the same line.
  const base = git(repo, 'rev-parse', 'HEAD');
  const work = [];
  for (let job = 0; job < 8; job += 1) {
    git(repo, 'checkout', '-q', '--detach', base);
    const changed = [];
    for (let f = 0; f < 20; f += 1) {
      const pair = Math.floor(job / 2);
      const shared = f < 5;
      const index = shared ? pair * 1000 + f : job * 1000 + 100 + f;
      const file = `d${String(Math.floor(index / 100)).padStart(3, '0')}/f${index}.txt`;
      const text =
        shared && f === 0
          ? `line by ${job}\n${'x'.repeat(40)}\n`
          : `file ${index}\n${'x'.repeat(40)}\nmore by ${job}\n`;
      writeFileSync(
        path.join(repo, file),
        shared && f !== 0
          ? `file ${index}\n${'x'.repeat(40)}\n${job % 2 === 0 ? 'top\n' : ''}`
          : text,
      );
      changed.push(file);
    }
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', `job ${job}`);
    work.push({ name: `j${job}`, commit: git(repo, 'rev-parse', 'HEAD'), changed });
  }
  git(repo, 'checkout', '-q', 'main');
  return work;
}

const parent = mkdtempSync(path.join(os.tmpdir(), 'parex-bench-ws-'));
try {
  say(
    `# Workspaces bench: ${RUNS} runs x ${JOBS} jobs, git ${git(parent, 'version')}, ${os.cpus().length} CPUs`,
  );
  for (const files of (process.env.BENCH_FILES ?? '1000,20000').split(',').map(Number)) {
    const repo = makeRepo(parent, files);
    const costs = await setUpCosts(repo, parent);
    say(
      `${files} files: snapshot ${costs.snapshot.toFixed(0)} ms once per run; per job: parex ${costs.perJob.toFixed(0)} ms, plain git worktree add ${costs.plain.toFixed(0)} ms, ratio ${(costs.perJob / costs.plain).toFixed(2)}x`,
    );
    if (files === 20000) {
      git(repo, 'stash', '-q', '-u');
      const work = conflictChecks(repo);
      const times = [];
      let found = 0;
      for (let run = 0; run < RUNS; run += 1) {
        const start = process.hrtime.bigint();
        found = 0;
        for (let a = 0; a < work.length; a += 1) {
          for (let b = a + 1; b < work.length; b += 1) {
            const check = await checkPair(repo, work[a], work[b]);
            if (check.conflicts.length > 0) found += 1;
          }
        }
        times.push(ms(start));
      }
      say(
        `${files} files: conflict checks of 8 jobs (28 pairs, ${found} conflicting): ${median(times).toFixed(0)} ms`,
      );
    }
  }
} finally {
  rmSync(parent, { recursive: true, force: true });
}
