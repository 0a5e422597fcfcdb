// Permission denials: which of them kept a declared output from being written, and what to change.
import path from 'node:path';

import type { AgentRequest, PermissionDenial } from './types.js';

/** A denial that kept a declared output from being written, with the output as declared. */
export interface BlockingDenial {
  readonly denial: PermissionDenial;
  readonly output: string;
}

/** The denials whose path is a missing output, or inside one (a directory output). */
export function blockingDenials(
  denials: readonly PermissionDenial[],
  missing: readonly string[],
  cwd: string,
): BlockingDenial[] {
  const found: BlockingDenial[] = [];
  for (const denial of denials) {
    if (denial.path === null) continue;
    const target = path.resolve(cwd, denial.path);
    const output = missing.find((candidate) => {
      const relative = path.relative(path.resolve(cwd, candidate), target);
      return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
    });
    if (output !== undefined) found.push({ denial, output });
  }
  return found;
}

/** "permission denied: Write prps/x.md; set permission_mode: acceptEdits (or allowed_tools)". */
export function denialReason(agent: string, blocking: readonly BlockingDenial[]): string {
  const what = blocking.map(({ denial, output }) => `${denial.tool} ${output}`).join(', ');
  return `permission denied: ${what}; ${writeAdvice(agent)}`;
}

/** What to change so that the agent may write files, per agent. */
export function writeAdvice(agent: string): string {
  if (agent === 'claude') return 'set permission_mode: acceptEdits (or allowed_tools: [Write])';
  if (agent === 'codex') return 'set sandbox: workspace-write';
  if (agent === 'gemini') return 'set approval_mode: auto_edit (or yolo)';
  return 'allow the agent to write files';
}

/** Why an agent could not have written its outputs, from its settings alone; null when it could. */
export function settingsForbidWrites(agent: string, request: AgentRequest): string | null {
  if (agent === 'gemini' && ['default', 'plan', null].includes(request.approvalMode)) {
    const mode = request.approvalMode ?? 'default';
    return `gemini's approval mode ${mode} offers no write tool in headless mode; ${writeAdvice(agent)}`;
  }
  return null;
}
