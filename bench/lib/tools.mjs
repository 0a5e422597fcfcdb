// The tools side by side: how each one runs N copies of a job, J at a time, one log per job.
import path from 'node:path';

import { shq } from './workloads.mjs';

/** Every tool, parex first; the others are the peers parex is compared with. */
export const TOOLS = ['parex', 'minimal', 'xargs', 'parallel', 'concurrently'];

/** Column headings. */
export const TOOL_LABELS = {
  parex: 'parex',
  minimal: 'minimal Node runner',
  xargs: 'xargs -P',
  parallel: 'GNU parallel',
  concurrently: 'concurrently',
};

/** How each peer was given what it lacks; printed under the table. */
export const TOOL_NOTES = {
  parex: '`parex exec -j N --log-dir DIR [--timeout T --kill-after G] -- CMD...` (N arguments)',
  minimal:
    '[bench/min-runner.mjs](../min-runner.mjs): `spawn("/bin/sh", ["-c", CMD])` with the log fd as stdout+stderr, N at a time, nothing else',
  xargs: '`xargs -0 -P N -n 1 sh -c \'{ CMD; } > "$1" 2>&1\' sh` fed the log paths on stdin',
  parallel:
    "`parallel --will-cite -j N '{ CMD ; } > DIR/job{}.log 2>&1'` fed 1..n on stdin (per-job redirection rather than --results, which splits stdout and stderr into two files); PARALLEL_SHELL=/bin/sh",
  concurrently:
    '`concurrently --raw -m N CMD...`: no per-job logs, so every job goes through its pipes into one combined file (nearest equivalent); --raw, because its default line prefixing runs at ~150 MiB/s',
};

/** Peers have no per-job timeout: they get `timeout -k G T`, which signals the job's whole group. */
function peerCommand(cmd, workload) {
  if (workload.timeoutSec === undefined) return cmd;
  return `timeout -k ${workload.graceSec} ${workload.timeoutSec} sh -c ${shq(cmd)}`;
}

/**
 * The invocation of `tool` for one run: { file, args, stdin?, env?, outName, perJobLogs }.
 * `paths` holds parexMain, minRunner and concurrently (the JS entry points).
 */
export function invocation(tool, workload, cmd, logDir, paths) {
  const { n, j } = workload;
  const copies = (line) => Array.from({ length: n }, () => line);
  const peerCmd = peerCommand(cmd, workload);
  switch (tool) {
    case 'parex': {
      const limits =
        workload.timeoutSec === undefined
          ? []
          : ['--timeout', String(workload.timeoutSec), '--kill-after', String(workload.graceSec)];
      return {
        file: process.execPath,
        args: [
          paths.parexMain,
          'exec',
          '-j',
          String(j),
          '--log-dir',
          logDir,
          ...limits,
          '--',
          ...copies(cmd),
        ],
        outName: 'tool.out',
        perJobLogs: true,
      };
    }
    case 'minimal':
      return {
        file: process.execPath,
        args: [paths.minRunner, JSON.stringify({ n, j, cmd: peerCmd, logDir })],
        outName: 'tool.out',
        perJobLogs: true,
      };
    case 'xargs':
      return {
        file: 'xargs',
        args: ['-0', '-P', String(j), '-n', '1', 'sh', '-c', `{ ${peerCmd}\n} > "$1" 2>&1`, 'sh'],
        stdin: Array.from({ length: n }, (_, i) => path.join(logDir, `job${i + 1}.log`)).join('\0'),
        outName: 'tool.out',
        perJobLogs: true,
      };
    case 'parallel':
      return {
        file: paths.parallel,
        args: ['--will-cite', '-j', String(j), `{ ${peerCmd} ; } > ${shq(logDir)}/job{}.log 2>&1`],
        stdin: `${Array.from({ length: n }, (_, i) => i + 1).join('\n')}\n`,
        env: { PARALLEL_SHELL: '/bin/sh' },
        outName: 'tool.out',
        perJobLogs: true,
      };
    case 'concurrently':
      return {
        file: process.execPath,
        args: [paths.concurrently, '--raw', '-m', String(j), ...copies(peerCmd)],
        outName: path.join(path.basename(logDir), 'combined.log'),
        perJobLogs: false,
      };
    default:
      throw new Error(`unknown tool ${tool}`);
  }
}
