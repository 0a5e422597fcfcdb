// The shape of a workflow file (YAML or JSON). docs/workflows.md documents every key.
import { z } from 'zod';

import { AGENT_NAMES } from '../agents/types.js';

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
  sandbox: z.enum(['read-only', 'workspace-write', 'danger-full-access']).optional(),
  permission_mode: z
    .enum(['default', 'acceptEdits', 'plan', 'bypassPermissions', 'dontAsk'])
    .optional(),
  approval_mode: z.enum(['default', 'auto_edit', 'yolo', 'plan']).optional(),
  allowed_tools: stringList.optional(),
  max_turns: z.number().int().positive().optional(),
};

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

const phaseSchema = z.strictObject({
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
  phases: z.array(phaseSchema).min(1),
});

/** A workflow file as parsed. */
export type WorkflowFile = z.infer<typeof workflowSchema>;
/** One phase as parsed. */
export type PhaseFile = z.infer<typeof phaseSchema>;
/** A phase's judge as parsed. */
export type JudgeFile = z.infer<typeof judgeSchema>;
