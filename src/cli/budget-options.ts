// The budget flags of the commands that run agents (run, prp generate): --max-cost,
// --max-tokens, --budget-soft, --limit AGENT=N and --prices FILE (docs/budgets.md).
import type { Command } from 'commander';

import type { BudgetFlags } from '../budget/settings.js';
import { parseMaxCost, parseMaxTokens } from '../options/budget-flags.js';
import { collect } from './collect.js';
import { textOption } from './sources.js';

/** Adds the budget flags to a command. */
export function addBudgetOptions(command: Command): Command {
  return command
    .option(
      '--max-cost <usd>',
      "stop the run's agents once they have spent USD (see docs/budgets.md)",
    )
    .option(
      '--max-tokens <n>',
      "stop the run's agents once they have used N tokens (input + output)",
    )
    .option(
      '--budget-soft',
      'start a phase even when its estimated cost exceeds what is left of the budget',
    )
    .option(
      '--limit <agent=n>',
      'at most N jobs of that agent at once, on top of -j (repeatable), e.g. --limit claude=2',
      collect,
    )
    .option('--prices <file>', 'prices per model (JSON or YAML, USD per million tokens) to use');
}

/** Reads the budget flags, validated; throws a UsageError for a bad value. */
export function readBudgetOptions(command: Command): BudgetFlags {
  return {
    maxCostUsd: parseMaxCost(textOption(command, 'maxCost')),
    maxTokens: parseMaxTokens(textOption(command, 'maxTokens')),
    soft: command.getOptionValue('budgetSoft') === true,
    limits: (command.getOptionValue('limit') as string[] | undefined) ?? [],
    pricesFile: textOption(command, 'prices'),
  };
}
