// The shape of a workflow file (YAML or JSON). docs/workflows.md documents every key.
import { z } from 'zod';

import { AGENT_NAMES } from '../agents/types.js';
import { priceTableSchema } from '../budget/prices.js';
import { CAPPED_AGENTS } from '../options/budget-flags.js';
import { OUTPUT_MODES } from '../options/output.js';

const seconds = z.number().nonnegative().finite();
const stringList = z.array(z.string().min(1));

/** How a phase's job is isolated, and what its worktree gets (docs/workspaces.md). */
const isolation = z.enum(['none', 'worktree']);
const workspace = z.strictObject({
  copy: stringList.optional(),
  link: stringList.optional(),
  setup: z.string().min(1).optional(),
  setup_timeout: seconds.optional(),
});

/** Options an agent phase may set, and the workflow's defaults may set for every phase. */
const agentOptions = {
  model: z.string().min(1).optional(),
  profile: z.string().optional(),
  // The modes are checked against the installed CLI's --help at preflight (agents/modes.ts).
  sandbox: z.string().min(1).optional(),
  permission_mode: z.string().min(1).optional(),
  approval_mode: z.string().min(1).optional(),
  allowed_tools: stringList.optional(),
  max_turns: z.number().int().positive().optional(),
  trust: z.boolean().optional(),
  agent_home: z.enum(['shared', 'per-job']).optional(),
};

/** Seconds as a number, or a duration such as "1s" or "500ms"; parsed to seconds. */
const duration = z.union(
  [
    seconds,
    z
      .string()
      .regex(/^\d+(\.\d+)?(ms|s)$/, 'a duration such as 1s or 500ms, or a number of seconds')
      .transform((text) =>
        text.endsWith('ms') ? Number(text.slice(0, -2)) / 1000 : Number(text.slice(0, -1)),
      ),
  ],
  { error: 'give a number of seconds, or a duration such as 1s or 500ms' },
);

/** A budget: the most USD and tokens (input + output) that its agent jobs may spend. */
const budgetSchema = z.strictObject({
  cost_usd: z.number().positive().finite().optional(),
  tokens: z.number().int().positive().optional(),
});

/** One candidate's differences from its phase (candidates: [{ agent: claude }, ...]). */
const candidateSchema = z.strictObject({
  agent: z.enum(AGENT_NAMES).optional(),
  prompt: z.string().min(1).optional(),
  command: z.string().min(1).optional(),
  ...agentOptions,
});

/** Which candidate becomes the phase's result (docs/workspaces.md). */
const judgeSchema = z.union([
  z.strictObject({ command: z.string().min(1), timeout: seconds.optional() }),
  z.strictObject({ score: z.string().min(1) }),
  z.strictObject({
    agent: z.enum(AGENT_NAMES).exclude(['command']),
    prompt: z.string().min(1),
    model: z.string().min(1).optional(),
  }),
]);

/** One phase (checked one at a time: check-shape.ts). */
export const phaseSchema = z.strictObject({
  id: z.string(),
  description: z.string().optional(),
  needs: z.array(z.string()).optional(),
  agent: z.enum(AGENT_NAMES).optional(),
  prompt: z.string().min(1).optional(),
  command: z.string().min(1).optional(),
  argv: z.array(z.string()).min(1).optional(),
  timeout: seconds.optional(),
  idle_timeout: seconds.optional(),
  outputs: stringList.optional(),
  inputs: stringList.optional(),
  env: z.record(z.string(), z.string()).optional(),
  runs_on: z
    .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tag is letters, digits, _ and -'))
    .min(1)
    .optional(),
  min_score: z.number().min(0).max(10).optional(),
  budget: budgetSchema.optional(),
  expect_cost: z.number().nonnegative().finite().optional(),
  isolation: isolation.optional(),
  workspace: workspace.optional(),
  candidates: z
    .union([z.number().int().min(2).max(20), z.array(candidateSchema).min(2).max(20)])
    .optional(),
  judge: judgeSchema.optional(),
  ...agentOptions,
});

/** The whole file. */
export const workflowSchema = z.strictObject({
  version: z.literal(1).optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  defaults: z
    .strictObject({
      agent: z.enum(AGENT_NAMES).optional(),
      timeout: seconds.optional(),
      idle_timeout: seconds.optional(),
      kill_after: seconds.optional(),
      concurrency: z.number().int().nonnegative().optional(),
      stagger_same_agent: duration.optional(),
      output: z.enum(OUTPUT_MODES).optional(),
      isolation: isolation.optional(),
      workspace: workspace.optional(),
      fail_fast: z.boolean().optional(),
      ...agentOptions,
    })
    .optional(),
  dirs: z
    .strictObject({
      feature: z.string().min(1).optional(),
      planning: z.string().min(1).optional(),
      logs: z.string().min(1).optional(),
    })
    .optional(),
  vars: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  budget: budgetSchema.optional(),
  limits: z.partialRecord(z.enum(CAPPED_AGENTS), z.number().int().positive()).optional(),
  prices: priceTableSchema.optional(),
  phases: z.array(phaseSchema).min(1),
});

/** A workflow file as parsed. */
export type WorkflowFile = z.infer<typeof workflowSchema>;
/** One phase as parsed. */
export type PhaseFile = z.infer<typeof phaseSchema>;

/** The keys each object of a workflow may have, for "did you mean" on an unknown one. */
export const KNOWN_KEYS = {
  workflow: Object.keys(workflowSchema.shape),
  phase: Object.keys(phaseSchema.shape),
  defaults: Object.keys(workflowSchema.shape.defaults.unwrap().shape),
  dirs: Object.keys(workflowSchema.shape.dirs.unwrap().shape),
} as const;

/** A phase's judge as parsed. */
export type JudgeFile = z.infer<typeof judgeSchema>;
