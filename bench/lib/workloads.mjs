// The workloads: what each job runs, how many at once, and at which sizes (full or smoke).
import { readFileSync } from 'node:fs';

const MiB = 1024 * 1024;

/** Quotes a string for /bin/sh. */
export const shq = (text) => `'${String(text).replaceAll("'", "'\\''")}'`;

/** Every workload, in the order they run and are reported. */
export function workloads(smoke) {
  const trueN = smoke ? 20 : 1000;
  const manyN = smoke ? 50 : 10_000;
  const bytes = smoke ? MiB : 64 * MiB;
  const limit = smoke ? 0.3 : 1;
  const sleepSec = smoke ? 0.3 : 2;
  return [
    ...[8, 32, 64].map((j) => ({
      id: `true-j${j}`,
      title: `${trueN} x \`true\`, -j ${j}`,
      kind: 'true',
      n: trueN,
      j,
    })),
    {
      id: 'output',
      title: `8 x ${bytes / MiB} MiB of output, -j 8`,
      kind: 'output',
      n: 8,
      j: 8,
      bytes,
      rss: true,
    },
    {
      id: 'term',
      title: `4 TERM-ignoring jobs, timeout ${limit} s + grace ${limit} s`,
      kind: 'term',
      n: 4,
      j: 4,
      timeoutSec: limit,
      graceSec: limit,
    },
    {
      id: 'grandchild',
      title: `4 jobs whose grandchild holds the pipe, timeout ${limit} s + grace ${limit} s`,
      kind: 'grandchild',
      n: 4,
      j: 4,
      timeoutSec: limit,
      graceSec: limit,
    },
    {
      id: 'sleep',
      title: `3 x \`sleep ${sleepSec}\`, -j 3`,
      kind: 'sleep',
      n: 3,
      j: 3,
      sleepSec,
    },
    {
      id: 'many',
      title: `${manyN} x \`true\`, -j 64`,
      kind: 'true',
      n: manyN,
      j: 64,
      rss: true,
      manifest: true,
    },
  ];
}

/**
 * The shell line of one job. `stamps` is a file the job appends "PID start NS" to when it
 * starts, and an observer subshell "PID term NS" to when SIGTERM reaches the job's group.
 */
export function jobCommand(workload, stamps) {
  const start = `echo "$$ start $(date +%s%N)" >> ${shq(stamps)}`;
  const observer = `(trap 'echo "$$ term $(date +%s%N)" >> ${shq(stamps)}; exit 0' TERM; sleep 61 & wait) &`;
  switch (workload.kind) {
    case 'true':
      return 'true';
    case 'output':
      return `${start}; head -c ${workload.bytes} /dev/zero`;
    case 'term':
      return `${start}; ${observer} trap '' TERM; sleep 60`;
    case 'grandchild':
      return `${start}; ${observer} sh -c 'sleep 60 & wait'`;
    case 'sleep':
      return `sleep ${workload.sleepSec}`;
    default:
      throw new Error(`unknown workload kind ${workload.kind}`);
  }
}

/** The stamps the jobs wrote: per job pid, its start and (if it got one) SIGTERM, in ms. */
export function readStamps(stamps) {
  let text = '';
  try {
    text = readFileSync(stamps, 'utf8');
  } catch {
    return [];
  }
  const jobs = new Map();
  for (const line of text.split('\n')) {
    const [pid, kind, ns] = line.trim().split(' ');
    if (ns === undefined || !/^\d+$/.test(ns)) continue;
    const job = jobs.get(pid) ?? {};
    job[kind] = Number(BigInt(ns) / 1000n) / 1000; // ns → ms with µs precision
    jobs.set(pid, job);
  }
  return [...jobs.values()];
}

/** Metrics a workload derives from one run's measurement and stamps. */
export function workloadMetrics(workload, run, stamps) {
  const starts = stamps.map((job) => job.start).filter((v) => v !== undefined);
  const firstStart = starts.length > 0 ? Math.min(...starts) : null;
  const metrics = { wallMs: run.wallMs, perJobMs: run.wallMs / workload.n };
  if (run.rssKb !== null) metrics.rssMb = run.rssKb / 1024;
  if (workload.kind === 'output') {
    const mib = (workload.bytes * workload.n) / MiB;
    metrics.mibPerSec = mib / (run.wallMs / 1000);
    if (firstStart !== null) metrics.mibPerSecInRun = mib / ((run.exitMs - firstStart) / 1000);
  }
  if (workload.kind === 'sleep')
    metrics.speedup = (workload.n * workload.sleepSec * 1000) / run.wallMs;
  if (workload.timeoutSec !== undefined) {
    const deadline = workload.timeoutSec * 1000;
    const latencies = stamps
      .filter((job) => job.start !== undefined && job.term !== undefined)
      .map((job) => job.term - job.start - deadline);
    if (latencies.length > 0) metrics.termLateMs = Math.max(...latencies);
    metrics.termStamps = latencies.length;
    if (firstStart !== null) {
      metrics.startSpreadMs = Math.max(...starts) - firstStart;
      if (run.jobs?.goneMs) metrics.goneAfterDeadlineMs = run.jobs.goneMs - firstStart - deadline;
    }
    metrics.survivors = run.jobs?.survivors ?? null;
  }
  return metrics;
}
