// The judgement of a phase whose process has ended: what its agent's stream says, its outputs,
// its permission denials and its score, turned into the completion line's fields and reason.
import path from 'node:path';

import { blockingDenials, denialReason, settingsForbidWrites } from '../agents/denials.js';
import type { AgentReport, PermissionDenial } from '../agents/types.js';
import type { JobVerdict } from '../model/job.js';
import type { JobResult } from '../model/result.js';
import { scoreFile } from '../prp/score.js';
import { checkOutputs } from './outputs.js';
import type { PlannedPhase } from './plan-types.js';

/** The longest final message kept in the manifest; the whole one stays in the log. */
const FINAL_MESSAGE_LIMIT = 2000;

/** Judges one ended phase; never throws for a failed agent (that is data). */
export async function judgePhase(
  phase: PlannedPhase,
  result: JobResult,
  cwd: string,
): Promise<JobVerdict> {
  const report = await phase.adapter.interpret(result.logPath, result.exitCode, phase.invocation);
  const outputs = checkOutputs(phase.outputs, cwd);
  const missing = outputs.filter((output) => !output.ok).map((output) => output.path);
  const blocking = blockingDenials(report.permissionDenials, missing, cwd);
  const score = phase.minScore === null ? null : scoreOf(phase, cwd);
  const details = {
    ...reportFields(report, blocking.length === 0, cwd),
    outputs,
    outputs_ok: missing.length === 0,
    ...(phase.minScore === null ? {} : { score, min_score: phase.minScore }),
  };
  const denied = blocking.length > 0 ? denialReason(phase.agent, blocking) : null;
  if (result.outcome === 'failed') {
    // A non-zero exit: the adapter's words for it (the agent's error, the exit code's meaning).
    const reason = denied ?? report.reason;
    return reason === null ? { details } : { reason, details };
  }
  if (result.outcome !== 'success') return { details };
  if (!report.ok) {
    return { outcome: 'failed', reason: report.reason ?? 'the agent reported a failure', details };
  }
  if (denied !== null) return { outcome: 'failed', reason: denied, details };
  if (missing.length > 0) {
    const hint = settingsForbidWrites(phase.agent, phase.request);
    const reason = `${missing.map((output) => `output missing: ${output}`).join('; ')}${hint === null ? '' : `; ${hint}`}`;
    return { outcome: 'failed', reason, details };
  }
  if (phase.minScore !== null && (score === null || score < phase.minScore)) {
    const found = score === null ? 'no "Score: N/10" line' : `score ${score}/10`;
    const reason = `${found} in ${phase.outputs[0]}, below ${phase.minScore}`;
    return { outcome: 'failed', reason, details };
  }
  return { details };
}

function scoreOf(phase: PlannedPhase, cwd: string): number | null {
  const [first] = phase.outputs;
  return first === undefined ? null : scoreFile(path.resolve(cwd, first), 0).score;
}

/** The agent's fields of the completion line (docs/manifest.md). */
function reportFields(
  report: AgentReport,
  noBlockingDenial: boolean,
  cwd: string,
): Record<string, unknown> {
  const message = report.finalMessage;
  const usage = report.usage;
  return {
    session_id: report.sessionId,
    final_message:
      message === null || message.length <= FINAL_MESSAGE_LIMIT
        ? message
        : `${message.slice(0, FINAL_MESSAGE_LIMIT)}…`,
    input_tokens: usage?.input_tokens ?? null,
    cached_input_tokens: usage?.cached_input_tokens ?? null,
    cache_write_tokens: usage?.cache_write_tokens ?? null,
    output_tokens: usage?.output_tokens ?? null,
    reasoning_tokens: usage?.reasoning_tokens ?? null,
    cost_usd: usage?.cost_usd ?? null,
    model: usage?.model ?? null,
    permission_denials: report.permissionDenials.map((denial) => denialField(denial, cwd)),
    agent_ok: report.ok && noBlockingDenial,
  };
}

function denialField(denial: PermissionDenial, cwd: string): Record<string, string> {
  const field: Record<string, string> = { tool: denial.tool };
  if (denial.path !== null) {
    const relative = path.relative(cwd, path.resolve(cwd, denial.path));
    field.path = relative.startsWith('..') || path.isAbsolute(relative) ? denial.path : relative;
  }
  if (denial.command !== null) field.command = denial.command;
  return field;
}
