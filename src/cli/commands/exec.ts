// parex exec: run shell command lines as one parallel group.
import { type Command, Option } from 'commander';

import { UsageError } from '../../errors.js';
import { DEFAULTS, ENVIRONMENT } from '../../options/defaults.js';
import type { JobSource } from '../../options/job-list.js';
import { SUMMARY_MAX_ROWS } from '../../report/summary.js';
import { chooseCommands } from '../commands-file.js';
import { groupExitCode } from '../exit-codes.js';
import { holdHeapGrowth } from '../heap-growth.js';
import { useRunSecrets } from '../redact.js';
import { addOutputOptions, addRunOptions, outputMode, readRunOptions } from '../run-options.js';
import { countOption, secondsOption, textOption } from '../sources.js';
import { addWorkspaceOptions, applyAfterRun, readWorkspaceFlags } from '../workspace-options.js';

const HELP_AFTER = `
Each COMMAND is one job, run by /bin/sh -c in its own process group, with
stdin from /dev/null and stdout+stderr written to LOG_DIR/NAME.log.
At its deadline a job's whole process group gets SIGTERM, and SIGKILL if
anything of it is still alive after the grace; processes a job leaves behind
when it exits are stopped the same way. Jobs are started by a small perl
process (the fork server) when perl is on PATH; PAREX_FORK_SERVER=0 starts
them with Node's spawn instead. More than ${SUMMARY_MAX_ROWS} jobs: the summary lists only the
jobs that did not succeed.

Examples:
  parex exec -- "sleep 2" "sleep 2" "sleep 2"
  parex exec --names lint,test -j 2 --timeout 300 -- "npm run lint" "npm test"
  parex exec --feature user_auth --group phase2 --log-dir prps/user_auth/logs -- "./a.sh" "./b.sh"
  parex exec -j 8 -a commands.txt
  generate-commands | parex exec -j 8 -a -

Exit status: 0 every job succeeded; 1 a job failed, timed out or was killed (or
--fail-fast stopped the run, or the manifest could not be written and the run was
stopped); 2 usage or validation error (nothing spawned, nothing written; also a
link or a FIFO where a log, the manifest or the lock goes); 130/143/129 parex got
SIGINT/SIGTERM/SIGHUP and stopped every job first; 141 its stdout was closed
(EPIPE), likewise.`;

/** Adds the exec command to the program. */
export function registerExec(program: Command): void {
  const exec = program
    .command('exec')
    .summary('run shell commands in parallel as one group')
    .description('Run each COMMAND as one job, all at once or at most --jobs at a time.')
    .argument('[commands...]', 'shell command lines; put -- before them')
    .option(
      '-a, --commands-file <file>',
      'read the commands from FILE, one per line (- for stdin); blank lines and # comments skipped',
    )
    .addOption(
      new Option('-j, --jobs <n>', 'at most N jobs at once; 0 runs all at once (default: 0)').env(
        ENVIRONMENT.jobs,
      ),
    )
    .option('--names <list>', 'comma-separated job names (default: job1,job2,...)')
    .addOption(
      new Option(
        '--log-dir <dir>',
        `logs and manifest.jsonl go here (default: ${DEFAULTS.runsDir}/RUN_ID)`,
      ).env(ENVIRONMENT.logDir),
    )
    .addOption(
      new Option('--feature <name>', 'feature recorded on every manifest line').env(
        ENVIRONMENT.feature,
      ),
    )
    .addOption(
      new Option('--group <name>', 'group recorded on every manifest line').env(ENVIRONMENT.group),
    )
    .addOption(
      new Option(
        '--timeout <sec>',
        `stop a job after SEC seconds; 0 = never (default: ${DEFAULTS.timeoutSec})`,
      ).env(ENVIRONMENT.timeout),
    )
    .addOption(
      new Option(
        '--idle-timeout <sec>',
        'stop a job that printed nothing for SEC seconds, as STALLED; 0 = never (default: 0)',
      ).env(ENVIRONMENT.idleTimeout),
    )
    .addOption(
      new Option(
        '--kill-after <sec>',
        `grace between SIGTERM and SIGKILL (default: ${DEFAULTS.killAfterSec})`,
      ).env(ENVIRONMENT.killAfter),
    )
    .addHelpText('after', HELP_AFTER);
  addWorkspaceOptions(addRunOptions(addOutputOptions(exec)), true).action(
    async (commands: string[], _options: unknown, command: Command) => {
      process.exitCode = await execAction(commands, command);
    },
  );
}

async function execAction(args: string[], command: Command): Promise<number> {
  const commands = chooseCommands(args, textOption(command, 'commandsFile'));
  const names = parseNames(textOption(command, 'names'), commands.length);
  const killAfterSec = secondsOption(
    command,
    'killAfter',
    '--kill-after',
    ENVIRONMENT.killAfter,
    '0 sends SIGKILL right after SIGTERM',
  );
  const mode = outputMode(command);
  const big = !mode.json && commands.length > SUMMARY_MAX_ROWS;
  if (big) holdHeapGrowth();
  const settings = {
    jobs: names.length === 0 ? commands : namedJobs(commands, names),
    // Past SUMMARY_MAX_ROWS jobs the text summary lists only the jobs that did not succeed and
    // counts the others, so their results need not be kept (and the heap is held small, see
    // heap-growth.ts); a JSON summary lists every result.
    keepResults: big ? ('unsuccessful' as const) : ('all' as const),
    concurrency: countOption(command, 'jobs', '--jobs', ENVIRONMENT.jobs),
    timeoutSec: secondsOption(
      command,
      'timeout',
      '--timeout',
      ENVIRONMENT.timeout,
      '0 means no timeout',
    ),
    killAfterSec,
    idleTimeoutSec: secondsOption(
      command,
      'idleTimeout',
      '--idle-timeout',
      ENVIRONMENT.idleTimeout,
      '0 means a silent job is never stopped',
    ),
    ...readRunOptions(command),
    logDir: textOption(command, 'logDir'),
    feature: textOption(command, 'feature') ?? null,
    group: textOption(command, 'group') ?? null,
  };
  const flags = readWorkspaceFlags(command);
  const { withSession } = await import('../session.js');
  const { runGroup } = await import('../../engine/run-group.js');
  useRunSecrets({ env: process.env, patterns: settings.secretPatterns });
  const { worktreeWorkspaces } = await import('../../workspace/worktrees.js');
  const workspace =
    flags.isolate || flags.worktreesDir !== undefined
      ? worktreeWorkspaces({ isolated: null, worktreesDir: flags.worktreesDir, asked: '--isolate' })
      : null;
  return withSession(killAfterSec ?? DEFAULTS.killAfterSec, mode, async (hooks) => {
    const { note: _note, ...groupHooks } = hooks;
    const result = await runGroup({ ...withoutUndefined(settings), ...groupHooks, workspace });
    const applied = flags.apply ? await applyAfterRun(result, process.cwd()) : null;
    const exitCode = groupExitCode(result);
    return {
      group: result,
      exitCode: exitCode === 0 && applied?.ok === false ? 1 : exitCode,
      messages: applied?.lines ?? [],
    };
  });
}

/** The commands with the names of --names, each job made when it is asked for. */
function namedJobs(commands: JobSource, names: readonly string[]): JobSource {
  return {
    length: commands.length,
    at: (index) => ({ name: names[index] as string, command: commands.at(index) as string }),
  };
}

function parseNames(list: string | undefined, count: number): string[] {
  if (list === undefined) return [];
  const names = list.split(',').map((name) => name.trim());
  if (names.length !== count) {
    throw new UsageError(
      `--names gives ${names.length} name${names.length === 1 ? '' : 's'} for ${count} command${count === 1 ? '' : 's'}`,
      'each command needs exactly one name, in the same order',
      `give ${count} comma-separated names, e.g. --names ${Array.from({ length: count }, (_, i) => `job${i + 1}`).join(',')}`,
    );
  }
  return names;
}

function withoutUndefined<T extends object>(
  value: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
