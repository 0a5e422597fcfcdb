// One tool on one workload, once: prepare a fresh directory, measure, check, derive, clean up.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

import { measureRun } from './measure.mjs';
import { invocation } from './tools.mjs';
import { jobCommand, readStamps, workloadMetrics } from './workloads.mjs';

/** Runs `tool` on `workload` in a fresh directory under `workDir`; resolves with its metrics. */
export async function runOne({ tool, workload, index, workDir, paths, gnuTime, limitMs }) {
  const runDir = path.join(workDir, `${workload.id}-${tool}-${index}`);
  const logDir = path.join(runDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const stamps = path.join(runDir, 'stamps');
  const cmd = jobCommand(workload, stamps);
  const call = invocation(tool, workload, cmd, logDir, paths);
  const mark = `${workload.id}-${tool}-${index}-${randomBytes(4).toString('hex')}`;
  const watch = workload.timeoutSec !== undefined;
  const run = await measureRun({
    file: call.file,
    args: call.args,
    cwd: workDir,
    env: { ...toolEnv(), ...call.env, PXB_MARK: mark },
    stdin: call.stdin,
    outPath: path.join(runDir, call.outName),
    limitMs,
    ...(watch ? { mark } : {}),
    ...(gnuTime ? { rssPath: path.join(runDir, 'rss') } : {}),
  });
  const metrics = workloadMetrics(workload, run, readStamps(stamps));
  metrics.exitCode = run.exitCode;
  const warnings = checkRun(workload, call, run, logDir);
  if (tool === 'parex') Object.assign(metrics, parexExtras(logDir));
  if (warnings.length > 0) metrics.toolOutput = tail(path.join(runDir, call.outName));
  rmSync(runDir, { recursive: true, force: true });
  return { metrics, warnings };
}

/**
 * The environment the tools get: ours without what `npm run` adds (npm_*, INIT_CWD), which
 * would double its size; every job's environment is copied at each spawn, so it matters.
 */
function toolEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD'),
  );
}

/** What went wrong with the run, in words; an empty list when it did what was asked. */
function checkRun(workload, call, run, logDir) {
  const warnings = [];
  if (run.overLimit) warnings.push(`did not finish within the limit; killed`);
  const expectFailure = workload.timeoutSec !== undefined;
  if (!expectFailure && run.exitCode !== 0) {
    warnings.push(`exit ${run.exitCode ?? run.signal} (expected 0)`);
  }
  if (expectFailure && run.exitCode === 0) warnings.push('exit 0 although every job timed out');
  if (call.perJobLogs) {
    const logs = readdirSync(logDir).filter((name) => /^job\d+\.log$/.test(name));
    if (logs.length !== workload.n)
      warnings.push(`${logs.length} job logs, expected ${workload.n}`);
    if (workload.kind === 'output') {
      const short = logs.filter((name) => statSync(path.join(logDir, name)).size < workload.bytes);
      if (short.length > 0)
        warnings.push(`${short.length} logs shorter than ${workload.bytes} bytes`);
    }
  } else if (workload.kind === 'output') {
    const combined = path.join(logDir, 'combined.log');
    const size = existsSync(combined) ? statSync(combined).size : 0;
    if (size < workload.bytes * workload.n) warnings.push(`combined output has ${size} bytes`);
  }
  if (run.jobs !== null && run.jobs.killedAfter > 0) {
    warnings.push(`${run.jobs.killedAfter} job processes still alive 5 s after it exited`);
  }
  return warnings;
}

/** parex's manifest: its size, and the group's own wall time (first job start to last end). */
function parexExtras(logDir) {
  const manifest = path.join(logDir, 'manifest.jsonl');
  if (!existsSync(manifest)) return {};
  const text = readFileSync(manifest, 'utf8');
  let first = Infinity;
  let last = -Infinity;
  let lines = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    lines += 1;
    try {
      const entry = JSON.parse(line);
      if (entry.started_at) first = Math.min(first, Date.parse(entry.started_at));
      if (entry.ended_at) last = Math.max(last, Date.parse(entry.ended_at));
    } catch {
      // Not ours to judge here.
    }
  }
  return {
    manifestBytes: Buffer.byteLength(text),
    manifestLines: lines,
    ...(last > first ? { groupWallMs: last - first } : {}),
  };
}

function tail(file) {
  try {
    return readFileSync(file, 'utf8').slice(-400);
  } catch {
    return '';
  }
}
