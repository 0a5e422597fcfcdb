// The library API of parex: the same engine as the CLI, returning results as data.

export { SpendControl } from './budget/control.js';
export { type BudgetFlags, type BudgetSettings, budgetSettings } from './budget/settings.js';
export type { AdmissionControl, AdmitVerdict, StartAdmission } from './engine/admission.js';
export { KILLED_EXIT_CODE, TIMEOUT_EXIT_CODE } from './engine/classify.js';
export type { ExecutorFactory, JobExecutor } from './engine/executor.js';
export { runGroup } from './engine/run-group.js';
export { isUsageError, USAGE_EXIT_CODE, UsageError } from './errors.js';
export type { EndEntry, ManifestEntry, StartEntry } from './journal/entries.js';
export { MANIFEST_SCHEMA_VERSION } from './journal/entries.js';
export { lastCompletions, readManifest } from './journal/reader.js';
export type { GroupEvent } from './model/events.js';
export type { JobSpec, JobSpending, JobStatus, OutputWatcher, WatchedLine } from './model/job.js';
export type { CostSource, Outcome, Spend, StopReason, TokenUsage } from './model/outcome.js';
export type { GroupResult, JobResult, JobSpan, SpeedupFigures } from './model/result.js';
export type { SpendReport } from './model/spend.js';
export type { WorkspaceHook, WorkspaceProvider, WorkspaceSummary } from './model/workspace.js';
export { extractFeatureName } from './names/feature-name.js';
export { resolveInside } from './names/inside-root.js';
export { assertValidName, checkName, MAX_NAME_LENGTH, type NameProblem } from './names/validate.js';
export { DEFAULTS, ENVIRONMENT } from './options/defaults.js';
export type { JobSource } from './options/job-list.js';
export type { GroupOptions } from './options/normalize.js';
export { type PoolSettings, poolExecutor } from './pool/coordinator.js';
export { parseRedisUrl, type RedisAddress } from './pool/redis-url.js';
export { type GenerateRequest, type GenerateResult, generatePrp, planPrp } from './prp/generate.js';
export { readScore, scoreFile } from './prp/score.js';
export { describeOutcome } from './report/outcome-words.js';
export { computeSpeedup } from './report/speedup.js';
export { formatSummary } from './report/summary.js';
export type { PlannedPhase, WorkflowPlan } from './workflow/plan-types.js';
export { prepareWorkflowRun, type RunRequest } from './workflow/prepare.js';
export {
  runWorkflow,
  type WorkflowResult,
  type WorkflowRunOptions,
} from './workflow/run-workflow.js';
export { applyRun, diffRun } from './workspace/commands.js';
export { baseRef, jobBranch, jobRef, resultBranch, resultRef } from './workspace/refs.js';
export { removeRunWorkspaces } from './workspace/runs.js';
export { startPoint } from './workspace/start-point.js';
export { type WorktreeOptions, worktreeWorkspaces } from './workspace/worktrees.js';
