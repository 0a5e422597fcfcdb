// parex run: run a declared workflow of phases for a feature.
import path from 'node:path';

import { type Command, Option } from 'commander';

import { EXIT_OK, groupExitCode } from '../exit-codes.js';
import {
  addOutputOptions,
  addRunOptions,
  outputMode,
  readLimitOptions,
  readRunOptions,
} from '../run-options.js';
import { textOption } from '../sources.js';
import { addWorkspaceOptions, applyAfterRun, readWorkspaceFlags } from '../workspace-options.js';

const HELP_AFTER = `
Every phase starts as soon as the phases it needs have succeeded, up to the
concurrency limit; a phase whose dependency failed is skipped. Logs and the
manifest go to the workflow's log directory (dirs.logs). See docs/workflows.md.

Examples:
  parex run examples/parallel-demo.yaml
  parex run workflows/prp.yaml --initial prps/INITIAL_user_auth.md --agent claude
  parex run flow.yaml --feature billing --var TOPIC=invoices --dry-run
  parex run flow.yaml --feature billing --resume

Exit status: 0 every phase succeeded (or was reused); 1 a phase failed, timed
out, was killed or skipped; 2 the workflow or a flag is invalid, or an agent
is not installed (nothing ran); 130/143/129 interrupted.`;

/** Adds the run command to the program. */
export function registerRun(program: Command): void {
  const run = program
    .command('run')
    .summary('run a workflow of phases (agents or commands) for a feature')
    .description(
      'Check WORKFLOW (YAML or JSON) whole, then run its phases in dependency order, in parallel where they allow.',
    )
    .argument('<workflow>', 'the workflow file')
    .option('--feature <name>', 'the feature (default: from --initial, else the workflow name)')
    .option(
      '--initial <file>',
      'the feature request, e.g. prps/INITIAL_user_auth.md (sets INITIAL_MD_PATH)',
    )
    .option('--var <key=value>', 'set a template variable (repeatable)', collect, [] as string[])
    .addOption(
      new Option('--agent <name>', 'run every agent phase with this agent').choices([
        'codex',
        'claude',
        'gemini',
      ]),
    )
    .option(
      '--resume',
      'reuse phases that succeeded before with the same prompt and whose outputs exist',
    )
    .option('--dry-run', 'print the plan (waves, argv, inputs, outputs) and run nothing')
    .option('-j, --jobs <n>', "at most N phases at once (default: the workflow's, else all)")
    .option('--timeout <sec>', "every phase's timeout, overriding the workflow")
    .option('--kill-after <sec>', 'grace between stop signals, overriding the workflow')
    .option(
      '--idle-timeout <sec>',
      'stop a phase silent for SEC seconds as stalled, overriding the workflow',
    )
    .addHelpText('after', HELP_AFTER);
  addWorkspaceOptions(addRunOptions(addOutputOptions(run)), true).action(
    async (workflowFile: string, _options: unknown, command: Command) => {
      process.exitCode = await runAction(workflowFile, command);
    },
  );
}

async function runAction(workflowFile: string, command: Command): Promise<number> {
  const { prepareWorkflowRun } = await import('../../workflow/prepare.js');
  const { runWorkflow } = await import('../../workflow/run-workflow.js');
  const { formatPlan } = await import('../../workflow/dry-run.js');
  const { findReusable } = await import('../../workflow/resume.js');
  const flags = readWorkspaceFlags(command);
  const plan = prepareWorkflowRun({
    workflowFile,
    isolate: flags.isolate,
    feature: textOption(command, 'feature'),
    initial: textOption(command, 'initial'),
    vars: command.getOptionValue('var') as string[],
    agent: textOption(command, 'agent'),
    ...readLimitOptions(command),
  });
  const resume = command.getOptionValue('resume') === true;
  const runOptions = readRunOptions(command);
  if (command.getOptionValue('dryRun') === true) {
    const manifest = path.join(plan.dirs.logs, 'manifest.jsonl');
    const reused = resume ? findReusable(manifest, plan.phases, plan.settings.cwd) : new Map();
    for (const line of formatPlan(plan, reused)) process.stdout.write(`${line}\n`);
    return EXIT_OK;
  }
  const { withSession } = await import('../session.js');
  return withSession(plan.killAfterSec, outputMode(command), async (hooks) => {
    const result = await runWorkflow(plan, {
      resume,
      worktreesDir: flags.worktreesDir,
      ...runOptions,
      ...hooks,
      onReuse: (reused) => {
        for (const phase of reused) {
          hooks.note(
            `[parex] reused   ${phase.id}: succeeded in run ${phase.runId}, outputs present, prompt unchanged`,
          );
        }
      },
    });
    if (result.group === null) {
      return {
        group: null,
        exitCode: EXIT_OK,
        messages: [`parex: every phase of ${plan.workflow.name} was reused; nothing to run`],
      };
    }
    const applied = flags.apply ? await applyAfterRun(result.group, plan.settings.cwd) : null;
    const exitCode = groupExitCode(result.group);
    return {
      group: result.group,
      exitCode: exitCode === 0 && applied?.ok === false ? 1 : exitCode,
      messages: applied?.lines ?? [],
    };
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
