// Start-up: `parex --version`, `parex status` and `parex --help` against `node -e 0`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { median, realNow } from './measure.mjs';

/** The commands timed; `node -e 0` is the floor every Node CLI pays. */
export function startupCommands(parexMain, parexUnbundled) {
  const node = process.execPath;
  const unbundled =
    parexUnbundled === null
      ? []
      : [
          {
            id: 'versionUnbundled',
            label: '`parex --version` via dist/src/cli/main.js (unbundled)',
            file: node,
            args: [parexUnbundled, '--version'],
          },
        ];
  return [
    { id: 'node', label: '`node -e 0`', file: node, args: ['-e', '0'] },
    { id: 'version', label: '`parex --version`', file: node, args: [parexMain, '--version'] },
    {
      id: 'status',
      label: '`parex status` (a finished 3-job run)',
      file: node,
      args: [parexMain, 'status'],
    },
    { id: 'help', label: '`parex --help`', file: node, args: [parexMain, '--help'] },
    ...unbundled,
  ];
}

/**
 * Times each command `runs` times, interleaved (one of each, then again), after one warm-up each;
 * returns { id: { label, medianMs, samples, exitCode } }.
 */
export async function measureStartup({ parexMain, parexUnbundled, workDir, runs }) {
  const cwd = path.join(workDir, 'startup');
  mkdirSync(cwd, { recursive: true });
  // A run for `parex status` to show: three jobs in .parex/runs under cwd.
  spawnSync(process.execPath, [parexMain, 'exec', '--', 'true', 'true', 'true'], {
    cwd,
    stdio: 'ignore',
  });
  const commands = startupCommands(parexMain, parexUnbundled);
  const samples = Object.fromEntries(commands.map((c) => [c.id, []]));
  const codes = {};
  for (const command of commands) await timeOnce(command, cwd);
  for (let round = 0; round < runs; round += 1) {
    for (const command of commands) {
      const { ms, code } = await timeOnce(command, cwd);
      samples[command.id].push(ms);
      codes[command.id] = code;
    }
  }
  return Object.fromEntries(
    commands.map((c) => [
      c.id,
      {
        label: c.label,
        medianMs: median(samples[c.id]),
        samples: samples[c.id],
        exitCode: codes[c.id],
      },
    ]),
  );
}

function timeOnce(command, cwd) {
  return new Promise((resolve) => {
    const start = realNow();
    const child = spawn(command.file, command.args, { cwd, stdio: 'ignore' });
    child.once('error', () => resolve({ ms: null, code: null }));
    child.once('exit', (code) => resolve({ ms: realNow() - start, code }));
  });
}
