// parex prp: the built-in PRP generator and its quality score.
import { existsSync } from 'node:fs';

import { type Command, Option } from 'commander';

import { UsageError } from '../../errors.js';
import { DEFAULTS } from '../../options/defaults.js';
import { addBudgetOptions, readBudgetOptions } from '../budget-options.js';
import { EXIT_FAILED, EXIT_OK, groupExitCode } from '../exit-codes.js';
import { useRunSecrets } from '../redact.js';
import {
  addOutputOptions,
  addRunOptions,
  outputMode,
  readLimitOptions,
  readRunOptions,
} from '../run-options.js';
import { textOption } from '../sources.js';

/** Adds `prp generate` and `prp score` to the program. */
export function registerPrp(program: Command): void {
  const prp = program
    .command('prp')
    .summary('generate a PRP for a feature, or score one')
    .description('The PRP (product requirements prompt) generator built on parex run.');
  const generate = prp
    .command('generate')
    .description(
      'Run the shipped five-phase PRP workflow for prps/INITIAL_<feature>.md (phase 1, then 2a/2b/2c in parallel, then 3, then 4), then the quality gate: the PRP must end with "Score: N/10" of at least --min-score, and phase 4 is re-run up to --max-regenerations times until it does.',
    )
    .argument(
      '<initial>',
      'the feature request, prps/INITIAL_<feature>.md (used relative to the project; with --redis it must be inside the project)',
    )
    .addOption(
      new Option('--agent <name>', 'the agent of every phase (default: codex)').choices([
        'codex',
        'claude',
        'gemini',
      ]),
    )
    .option('--min-score <n>', 'least score that passes (default: 8)')
    .option('--max-regenerations <n>', 're-runs of phase 4 after a low score (default: 3)')
    .option(
      '--candidates <n>',
      'run phase 4 N ways at once, each in its own git worktree, and keep the best-scoring PRP (default: 1)',
    )
    .option('--resume', 'reuse phases that succeeded before, unchanged, whose outputs exist')
    .option('--dry-run', 'print the plan and run nothing')
    .option('--timeout <sec>', "every phase's timeout (default: 600, phase 4: 900)")
    .option('--kill-after <sec>', 'grace between stop signals (default: 5)')
    .option(
      '--idle-timeout <sec>',
      'stop a phase silent for SEC seconds as stalled; 0 = never (default: 0)',
    )
    .option('-j, --jobs <n>', 'at most N phases at once (default: 3)')
    .addHelpText(
      'after',
      '\nFiles: planning in prps/<feature>/planning/, logs and manifest in prps/<feature>/codex/logs/,\nthe PRP in prps/<feature>.md.\n\nExample:\n  parex prp generate prps/INITIAL_user_auth.md --agent claude\n\nExit status: 0 the PRP exists and passes; 1 a phase failed or the score stayed below the\nminimum; 2 invalid input or a missing agent (nothing ran); 130/143/129 interrupted.',
    );
  addBudgetOptions(addRunOptions(addOutputOptions(generate))).action(
    async (initial: string, _options: unknown, command: Command) => {
      process.exitCode = await generateAction(initial, command);
    },
  );
  prp
    .command('score')
    .description(
      'Print PASS:N, FAIL:N or NO_SCORE for the "Score: N/10" line of a PRP (any case, optional bold).',
    )
    .argument('<file>', 'the PRP, e.g. prps/user_auth.md')
    .option('--min <n>', 'least score that passes (default: 8)')
    .addHelpText('after', '\nExit status: 0 PASS; 1 FAIL or NO_SCORE; 2 the file cannot be read.')
    .action(async (file: string, _options: unknown, command: Command) => {
      const { formatVerdict, scoreFile } = await import('../../prp/score.js');
      if (!existsSync(file)) {
        throw new UsageError(
          `no file at ${file}`,
          'the score is read from the PRP file',
          'check the path, e.g. prps/user_auth.md',
        );
      }
      const verdict = scoreFile(file, parseScore(textOption(command, 'min'), '--min', 8));
      process.stdout.write(`${formatVerdict(verdict)}\n`);
      process.exitCode = verdict.verdict === 'PASS' ? EXIT_OK : EXIT_FAILED;
    });
}

async function generateAction(initial: string, command: Command): Promise<number> {
  const { describePrpPlan, generatePrp, phaseWords } = await import('../../prp/generate.js');
  const runOptions = readRunOptions(command);
  const request = {
    initial,
    pooled: runOptions.executor !== undefined,
    agent: textOption(command, 'agent'),
    minScore: parseScore(textOption(command, 'minScore'), '--min-score', 8),
    maxRegenerations: parseCount(textOption(command, 'maxRegenerations'), '--max-regenerations', 3),
    candidates: parseCandidates(textOption(command, 'candidates')),
    resume: command.getOptionValue('resume') === true,
    ...readLimitOptions(command),
    budget: readBudgetOptions(command),
  };
  const mode = outputMode(command);
  const redactor = useRunSecrets({ env: process.env, patterns: runOptions.secretPatterns });
  if (command.getOptionValue('dryRun') === true) {
    for (const line of redactor.deep(describePrpPlan(request))) process.stdout.write(`${line}\n`);
    return EXIT_OK;
  }
  const { withSession } = await import('../session.js');
  const grace = request.killAfterSec ?? DEFAULTS.killAfterSec;
  return withSession(grace, mode, async (hooks) => {
    const result = await generatePrp(request, {
      ...runOptions,
      ...hooks,
      print: hooks.note,
      onReuse: (reused) => {
        for (const phase of reused)
          hooks.note(`[parex] reused   ${phase.id}: succeeded in run ${phase.runId}`);
      },
    });
    const last = result.attempts.at(-1);
    const group = last?.group ?? null;
    const attempts = `${result.attempts.length} attempt${result.attempts.length === 1 ? '' : 's'}`;
    if (result.complete) {
      return {
        group,
        exitCode: EXIT_OK,
        messages: [
          `parex: PRP complete: ${result.prpPath} (score ${last?.score}/10 after ${attempts})`,
        ],
      };
    }
    if (group?.cancelledBy) return { group, exitCode: groupExitCode(group) };
    if (last?.failedPhase) {
      return {
        group,
        exitCode: EXIT_FAILED,
        messages: [
          `parex: PRP incomplete: ${phaseWords(last.failedPhase)} in attempt ${last.attempt}; see the summary above and the logs in ${result.plan.dirs.logs}`,
        ],
      };
    }
    const scored =
      last?.score === null || last === undefined ? 'no score' : `score ${last.score}/10`;
    return {
      group,
      exitCode: EXIT_FAILED,
      messages: [
        `parex: PRP incomplete: ${result.prpPath} has ${scored} (minimum ${request.minScore}) after ${attempts}; see the summary above and the logs in ${result.plan.dirs.logs}`,
      ],
    };
  });
}

function parseScore(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 10) return value;
  throw new UsageError(
    `${flag} must be a number from 0 to 10; got ${JSON.stringify(text)}`,
    'scores are out of 10',
    `e.g. ${flag} 8`,
  );
}

function parseCount(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  if (/^\s*\d+\s*$/.test(text)) return Number(text);
  throw new UsageError(
    `${flag} must be a whole number, 0 or more; got ${JSON.stringify(text)}`,
    'it counts re-runs of phase 4',
    `e.g. ${flag} 3`,
  );
}

function parseCandidates(text: string | undefined): number {
  if (text === undefined) return 1;
  const count = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (count >= 1 && count <= 20) return count;
  throw new UsageError(
    `--candidates must be a whole number from 1 to 20; got ${JSON.stringify(text)}`,
    'it is how many ways phase 4 runs at once, each in its own git worktree',
    'e.g. --candidates 3',
  );
}
