// parex run: run a declared workflow of phases for a feature.
import path from 'node:path';

import { type Command, Option } from 'commander';

import { addBudgetOptions, readBudgetOptions } from '../budget-options.js';
import { collect } from '../collect.js';
import { EXIT_OK, groupExitCode } from '../exit-codes.js';
import { printLines } from '../print-lines.js';
import { useRunSecrets } from '../redact.js';
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

Budgets: --max-cost and --max-tokens (or budget: in the workflow) warn at 80%;
at the limit no new agent phase starts and running ones are stopped (outcome
budget). --limit claude=2 caps one agent's phases at once. A rate limit
pauses new starts of that agent only. See docs/budgets.md.

Exit status: 0 every phase succeeded (or was reused); 1 a phase failed, timed
out, was killed, skipped or stopped by a budget; 2 the workflow or a flag is
invalid, or an agent is not installed (nothing ran); 130/143/129 interrupted.`;

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
      'the feature request, e.g. prps/INITIAL_user_auth.md (sets INITIAL_MD_PATH, relative to the project; with --redis it must be inside the project)',
    )
    .option('--var <key=value>', 'set a template variable (repeatable)', collect)
    .addOption(
      new Option('--agent <name>', 'run every agent phase with this agent').choices([
        'codex',
        'claude',
        'gemini',
      ]),
    )
    .option(
      '--resume',
      'reuse phases that succeeded before, unchanged (prompt or command, variables used, env:, agent, model, options), whose outputs exist',
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
  addBudgetOptions(addWorkspaceOptions(addRunOptions(addOutputOptions(run)), true)).action(
    async (workflowFile: string, _options: unknown, command: Command) => {
      process.exitCode = await runAction(workflowFile, command);
    },
  );
}

async function runAction(workflowFile: string, command: Command): Promise<number> {
  const { prepareWorkflowRun } = await import('../../workflow/prepare.js');
  const { runWorkflow } = await import('../../workflow/run-workflow.js');
  const { planLines } = await import('../../workflow/dry-run.js');
  const { decideResume } = await import('../../workflow/resume.js');
  const runOptions = readRunOptions(command);
  const flags = readWorkspaceFlags(command);
  const vars = (command.getOptionValue('var') as string[] | undefined) ?? [];
  // Secret-named --var values are secrets from the start: in errors, the plan and the records.
  useRunSecrets({
    env: process.env,
    jobEnvs: [varsAsEnv(vars)],
    patterns: runOptions.secretPatterns,
  });
  const plan = prepareWorkflowRun({
    workflowFile,
    isolate: flags.isolate,
    feature: textOption(command, 'feature'),
    initial: textOption(command, 'initial'),
    pooled: runOptions.executor !== undefined,
    vars,
    agent: textOption(command, 'agent'),
    ...readLimitOptions(command),
    budget: readBudgetOptions(command),
  });
  const resume = command.getOptionValue('resume') === true;
  const mode = outputMode(command, plan.workflow.declared.defaults?.output);
  const redactor = useRunSecrets({
    env: plan.settings.env,
    jobEnvs: plan.phases.envs(),
    patterns: runOptions.secretPatterns,
  });
  if (command.getOptionValue('dryRun') === true) {
    const manifest = path.join(plan.dirs.logs, 'manifest.jsonl');
    const decision = resume
      ? decideResume(manifest, plan.phases, plan.settings.cwd)
      : { reused: new Map(), rerun: new Map() };
    await printLines(planLines(plan, decision.reused, decision.rerun), (text) =>
      redactor.text(text),
    );
    return EXIT_OK;
  }
  const { withSession } = await import('../session.js');
  return withSession(plan.killAfterSec, mode, async (hooks) => {
    const result = await runWorkflow(plan, {
      resume,
      worktreesDir: flags.worktreesDir,
      ...runOptions,
      ...hooks,
      onReuse: (reused) => {
        for (const phase of reused) {
          hooks.note(
            `[parex] reused   ${phase.id}: succeeded in run ${phase.runId}, outputs present, nothing that shapes it changed`,
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

/** --var KEY=VALUE pairs as variables, for finding the secret ones before they are checked. */
function varsAsEnv(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.flatMap((pair) =>
      pair.includes('=')
        ? [[pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]]
        : [],
    ),
  );
}
