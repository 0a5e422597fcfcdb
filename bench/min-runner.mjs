// The minimal Node runner, the baseline of the benchmark: N jobs at a time, each `/bin/sh -c CMD`
// with stdin ignored and its stdout+stderr written by the child straight into its own log fd.
// Usage: node min-runner.mjs '{"n":1000,"j":8,"cmd":"true","logDir":"/tmp/logs"}'
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';

const { n, j, cmd, logDir } = JSON.parse(process.argv[2] ?? '{}');
let next = 0;
let running = 0;
let failed = 0;

function startMore() {
  while (running < j && next < n) {
    next += 1;
    const fd = openSync(path.join(logDir, `job${next}.log`), 'w');
    const child = spawn('/bin/sh', ['-c', cmd], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    running += 1;
    child.on('exit', (code) => {
      running -= 1;
      if (code !== 0) failed += 1;
      startMore();
    });
  }
}

startMore();
process.on('exit', () => {
  process.exitCode = failed === 0 ? 0 : 1;
});
