// parex worker: join the pool behind a Redis and run its jobs with parex's own process machinery.
import { availableParallelism, hostname } from 'node:os';

import { type Command, Option } from 'commander';

import { UsageError } from '../../errors.js';
import { assertValidName } from '../../names/validate.js';
import { DEFAULTS, ENVIRONMENT } from '../../options/defaults.js';
import { parseRedisUrl } from '../../pool/redis-url.js';
import { checkWorkdir } from '../../pool/workdir.js';
import { printError } from '../session.js';
import { secondsOption, textOption } from '../sources.js';

const HELP_AFTER = `
The worker serves the queue "default" and one queue per tag; a workflow phase
with runs_on: [tag] goes to that tag's queue. Each job runs in its own process
group under the worker's fork server (its watchdog), with the job's deadline,
idle timeout and stop ladder; its log streams back to the coordinator, which
alone writes the manifest and the logs. A job gets the worker's environment
plus the job's declared env: (and what the coordinator names with --pass-env).

SIGTERM or SIGINT: take no new jobs, give running ones the grace (--kill-after)
to finish, then stop them and hand them back; a second signal stops them at
once. A systemd unit is in docs/distributed.md.

Examples:
  parex worker --redis redis://127.0.0.1:6379 --concurrency 4
  PAREX_REDIS=rediss://parex:secret@redis.internal:6380 parex worker --tags gpu --name gpu1

A worker's name is its own: it is claimed in Redis (parex-run:workers:NAME) before
any job is taken, and a second live worker of that name is refused. A clean stop
frees the name at once; a worker killed with SIGKILL frees it within 15 s (the
lock duration, PAREX_POOL_LOCK_MS), at once for a worker on the same host.

Exit status: 0 stopped by SIGTERM/SIGINT; 2 invalid flags, Redis unreachable at
start, or the name held by another live worker (nothing ran, nothing was made).`;

/** Adds the worker command to the program. */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .summary('join a pool of machines (BullMQ on Redis) and run its jobs')
    .description(
      'Run jobs that coordinators (parex exec|run|prp generate --redis URL) send to the pool.',
    )
    .addOption(
      new Option(
        '--redis <url>',
        'the pool’s Redis: redis://[USER:PASSWORD@]HOST[:PORT][/DB] or rediss://',
      ).env(ENVIRONMENT.redis),
    )
    .option(
      '--concurrency <n>',
      `at most N jobs at once (default: the number of CPUs, ${availableParallelism()})`,
    )
    .option(
      '--name <name>',
      `the worker's name in manifests and logs, one live worker each (default: ${defaultName()})`,
    )
    .option('--tags <list>', 'comma-separated tags whose queues it serves besides "default"')
    .option(
      '--workdir <dir>',
      "where jobs run and their files land, and isolated jobs' cached clones (.parex/repos) are kept (default: the current directory; made when missing, once Redis answers)",
    )
    .option(
      '--kill-after <sec>',
      `grace between stop signals on shutdown (default: ${DEFAULTS.killAfterSec})`,
    )
    .addHelpText('after', HELP_AFTER)
    .action(async (_options: unknown, command: Command) => {
      process.exitCode = await workerAction(command);
    });
}

async function workerAction(command: Command): Promise<number> {
  const url = textOption(command, 'redis');
  if (url === undefined) {
    throw new UsageError(
      'parex worker needs the pool’s Redis',
      'the queues it takes jobs from live there',
      `pass --redis redis://HOST:PORT (or set ${ENVIRONMENT.redis})`,
    );
  }
  const source = command.getOptionValueSource('redis') === 'env' ? ENVIRONMENT.redis : '--redis';
  const concurrency = workerConcurrency(textOption(command, 'concurrency'));
  const options = {
    redis: parseRedisUrl(url, source),
    concurrency,
    name: assertValidName(textOption(command, 'name') ?? defaultName(), 'worker name'),
    tags: parseTags(textOption(command, 'tags')),
    graceMs:
      1000 *
      (secondsOption(command, 'killAfter', '--kill-after', '', '0 stops at once') ??
        DEFAULTS.killAfterSec),
    // Checked here, made by the worker once Redis has answered.
    workdir: checkWorkdir(textOption(command, 'workdir')),
    forkServer: process.env[ENVIRONMENT.forkServer] !== '0',
    print: printError,
  };
  const { runWorker } = await import('../../pool/worker.js');
  return runWorker(options);
}

/** --concurrency of a worker: a whole number, 1 or more (0, "all at once", means nothing here). */
function workerConcurrency(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  const value = /^\s*[0-9]+\s*$/.test(text) ? Number(text) : 0;
  if (value < 1 || !Number.isSafeInteger(value)) {
    throw new UsageError(
      `--concurrency must be a whole number of jobs, 1 or more; got ${JSON.stringify(text)}`,
      'it is how many jobs this worker runs at once, and a worker that runs none takes none',
      'e.g. --concurrency 4 (default: the number of CPUs)',
    );
  }
  return value;
}

function defaultName(): string {
  return (
    hostname()
      .replace(/[^A-Za-z0-9_-]/g, '-')
      .slice(0, 50) || 'worker'
  );
}

function parseTags(list: string | undefined): string[] {
  if (list === undefined) return [];
  const tags = list.split(',').map((tag) => tag.trim());
  for (const tag of tags) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(tag)) {
      throw new UsageError(
        `--tags: ${JSON.stringify(tag)} is not a tag`,
        'each tag names a queue: letters, digits, _ and -',
        'e.g. --tags gpu,linux',
      );
    }
  }
  return tags;
}
