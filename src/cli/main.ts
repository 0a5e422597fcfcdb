#!/usr/bin/env node
// The parex command with every command registered: the bundle for `parex --help` and unknown
// commands (dist/bin/parex.cjs runs each command's own bundle), and the unbundled entry
// dist/src/cli/main.js.
import type { Command } from 'commander';

import type { CommandName } from './command-names.js';
import { registerApply } from './commands/apply.js';
import { registerClean } from './commands/clean.js';
import { registerDiff } from './commands/diff.js';
import { registerExec } from './commands/exec.js';
import { registerLogs } from './commands/logs.js';
import { registerName } from './commands/name.js';
import { registerPrp } from './commands/prp.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerRuns } from './commands/runs.js';
import { registerSelftest } from './commands/selftest.js';
import { registerSpeedup } from './commands/speedup.js';
import { registerStatus } from './commands/status.js';
import { registerWorker } from './commands/worker.js';
import { runCli } from './program.js';

/** Every command, in the order of the help, with the function that registers it. */
const COMMANDS: Readonly<Record<CommandName, (program: Command) => void>> = {
  exec: registerExec,
  run: registerRun,
  prp: registerPrp,
  status: registerStatus,
  logs: registerLogs,
  runs: registerRuns,
  report: registerReport,
  apply: registerApply,
  diff: registerDiff,
  speedup: registerSpeedup,
  clean: registerClean,
  name: registerName,
  selftest: registerSelftest,
  worker: registerWorker,
};

void runCli(COMMANDS);
