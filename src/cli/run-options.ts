// The options of every command that runs jobs (exec, run, prp generate) that are not about
// time limits: what of the jobs' output is shown, the lock, the environment, retries,
// staggered starts and fail-fast.
import { type Command, Option } from 'commander';

import { UsageError } from '../errors.js';
import { DEFAULTS, ENVIRONMENT } from '../options/defaults.js';
import type { GroupOptions } from '../options/normalize.js';
import { validateOutputMode } from '../options/output.js';
import { parseRedisUrl } from '../pool/redis-url.js';
import { collect } from './collect.js';
import type { OutputMode } from './live/renderer.js';
import { countOption, secondsOption, sourceLabel } from './sources.js';

/** The group options these flags set. */
export type RunOptions = Pick<
  GroupOptions,
  | 'force'
  | 'unsetEnv'
  | 'secretPatterns'
  | 'retries'
  | 'retryDelaySec'
  | 'staggerMs'
  | 'failFast'
  | 'executor'
>;

/** Adds --output, --quiet and --json to a command that runs jobs. */
export function addOutputOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--output <mode>',
        `the jobs' own output: errors = the last ${DEFAULTS.errorTailLines} log lines of each job that did not succeed, after the summary; stream = every line as it comes, as "[NAME] line" on stdout (no live view); none = status lines only (default: ${DEFAULTS.output})`,
      ).env(ENVIRONMENT.output),
    )
    .option('-q, --quiet', 'print nothing but errors (the exit status tells the outcome)')
    .option('--json', 'one JSON event per line on stdout instead of the progress display');
}

/** The output mode a command was given; `fileDefault` is a workflow's defaults.output. */
export function outputMode(command: Command, fileDefault?: unknown): OutputMode {
  const json = command.getOptionValue('json') === true;
  const given: unknown = command.getOptionValue('output');
  const output =
    given !== undefined
      ? validateOutputMode(given, sourceLabel(command, 'output', '--output', ENVIRONMENT.output))
      : fileDefault !== undefined
        ? validateOutputMode(fileDefault, "the workflow's defaults.output")
        : DEFAULTS.output;
  if (json && output === 'stream' && command.getOptionValueSource('output') === 'cli') {
    throw new UsageError(
      '--json and --output stream cannot go together',
      "both write to stdout: JSON events for programs, or the jobs' lines for people",
      "drop one of them; with --json, every job's log is in LOG_DIR/NAME.log",
    );
  }
  const secretPatterns = (command.getOptionValue('secretEnv') as string[] | undefined) ?? [];
  return { quiet: command.getOptionValue('quiet') === true, json, output, secretPatterns };
}

/** Adds the flags to a command. */
export function addRunOptions(command: Command): Command {
  return command
    .option('--force', 'run even if another live parex holds the log directory (its lock)')
    .option(
      '--unset-env <name>',
      "remove a variable (or a NAME_* pattern) from the jobs' environment (repeatable)",
      collect,
    )
    .option(
      '--secret-env <pattern>',
      `also hide the values of variables matching this (default: ${DEFAULTS.secretPatterns.join(', ')}) (repeatable)`,
      collect,
    )
    .addOption(
      new Option(
        '--retries <n>',
        'retry a job whose failure looks transient (429, overloaded, ...) up to N times (default: 0)',
      ).env(ENVIRONMENT.retries),
    )
    .option(
      '--retry-delay <sec>',
      `wait before the first retry, doubled for each next one (default: ${DEFAULTS.retryDelaySec})`,
    )
    .addOption(
      new Option('--stagger <ms>', 'start jobs at least MS milliseconds apart (default: 0)').env(
        ENVIRONMENT.stagger,
      ),
    )
    .addOption(
      new Option(
        '--redis <url>',
        'run the jobs on the pool of `parex worker`s behind this Redis (redis:// or rediss://); see docs/distributed.md',
      ).env(ENVIRONMENT.redis),
    )
    .option(
      '--pass-env <pattern>',
      'with --redis: send this variable (or NAME_* pattern) of this environment to the workers (repeatable); by default none',
      collect,
    )
    .option(
      '--fail-fast',
      'at the first job that does not succeed, stop the running ones and start no more (exit 1)',
    )
    .option('--no-fail-fast', 'run every job even when one fails (overrides the workflow)');
}

/** Reads the flags, validated. */
export function readRunOptions(command: Command): RunOptions {
  const retries = countOption(command, 'retries', '--retries', ENVIRONMENT.retries);
  const retryDelaySec = secondsOption(
    command,
    'retryDelay',
    '--retry-delay',
    '',
    '0 retries at once',
  );
  const staggerMs = secondsOption(
    command,
    'stagger',
    '--stagger',
    ENVIRONMENT.stagger,
    '0 starts jobs together',
    1,
  );
  const redis = command.getOptionValue('redis') as string | undefined;
  const passEnv = (command.getOptionValue('passEnv') as string[] | undefined) ?? [];
  if (redis === undefined && passEnv.length > 0) {
    throw new UsageError(
      '--pass-env has no effect without --redis',
      "it names variables of this environment to send to the pool's workers, and this run has no pool: its jobs would run here, with this whole environment",
      `add --redis URL (or set ${ENVIRONMENT.redis}) to run on the pool, or drop --pass-env to run here`,
    );
  }
  const failFast: unknown = command.getOptionValue('failFast');
  return {
    ...(redis === undefined ? {} : { executor: pooled(redis, passEnv, command) }),
    force: command.getOptionValue('force') === true,
    ...(typeof failFast === 'boolean' ? { failFast } : {}),
    unsetEnv: (command.getOptionValue('unsetEnv') as string[] | undefined) ?? [],
    secretPatterns: (command.getOptionValue('secretEnv') as string[] | undefined) ?? [],
    ...(retries === undefined ? {} : { retries }),
    ...(retryDelaySec === undefined ? {} : { retryDelaySec }),
    ...(staggerMs === undefined ? {} : { staggerMs }),
  };
}

/** The pool's executor, loaded only when a run uses it. */
function pooled(url: string, passEnv: string[], command: Command): GroupOptions['executor'] {
  const source = command.getOptionValueSource('redis') === 'env' ? ENVIRONMENT.redis : '--redis';
  const settings = { redis: parseRedisUrl(url, source), passEnv };
  return async (plan) => {
    const { poolExecutor } = await import('../pool/coordinator.js');
    return poolExecutor(settings)(plan);
  };
}

/** The limits a workflow run takes from its flags (run, prp generate): each undefined when unset. */
export function readLimitOptions(command: Command): {
  timeoutSec: number | undefined;
  killAfterSec: number | undefined;
  idleTimeoutSec: number | undefined;
  concurrency: number | undefined;
} {
  return {
    timeoutSec: secondsOption(command, 'timeout', '--timeout', '', '0 means no timeout'),
    killAfterSec: secondsOption(
      command,
      'killAfter',
      '--kill-after',
      '',
      '0 sends SIGKILL right after SIGTERM',
    ),
    idleTimeoutSec: secondsOption(command, 'idleTimeout', '--idle-timeout', '', '0 means never'),
    concurrency: countOption(command, 'jobs', '--jobs', ''),
  };
}
