// --dry-run: the plan in words. Phases in waves, each with its argv, its input and its outputs.
import { formatSeconds } from '../report/format.js';
import type { WorkflowPlan } from './plan-types.js';
import type { ReusedPhase } from './resume.js';

/** The plan as lines of text; nothing runs and nothing is written. With --resume, `rerun` says
 * why each phase that is not reused runs again. */
export function formatPlan(
  plan: WorkflowPlan,
  reused: ReadonlyMap<string, ReusedPhase>,
  rerun: ReadonlyMap<string, string> = new Map(),
): string[] {
  const { workflow, dirs } = plan;
  const lines = [
    `workflow ${workflow.name} (${workflow.file}) for feature ${plan.feature}`,
    `  feature dir ${dirs.feature}, planning ${dirs.planning}, logs and manifest ${dirs.logs}`,
    `  at most ${plan.concurrency === 0 ? 'all' : plan.concurrency} phases at once, ${formatSeconds(plan.killAfterSec)} grace between stop signals${plan.failFast ? ', fail-fast (the first phase that does not succeed stops the run)' : ''}`,
  ];
  const byId = new Map(plan.phases.map((phase) => [phase.id, phase]));
  plan.waves.forEach((wave, index) => {
    lines.push(`wave ${index + 1}: ${wave.join(', ')}`);
    for (const id of wave) {
      const phase = byId.get(id);
      if (phase === undefined) continue;
      const reuse = reused.get(id);
      const needs = phase.needs.length === 0 ? '' : `, needs ${phase.needs.join(', ')}`;
      lines.push(
        `  ${id}: ${phase.agent}, timeout ${formatSeconds(phase.timeoutSec)}${phase.idleTimeoutSec > 0 ? `, idle timeout ${formatSeconds(phase.idleTimeoutSec)}` : ''}${needs}${reuse ? `, reused from run ${reuse.runId}` : ''}`,
      );
      const why = rerun.get(id);
      if (why !== undefined) lines.push(`    resume:  runs again: ${why}`);
      const { argv, command, input } = phase.invocation;
      lines.push(
        `    run:     ${argv === null ? `/bin/sh -c ${quote(command ?? '')}` : argv.map(quote).join(' ')}`,
      );
      if (input !== null) {
        lines.push(
          `    stdin:   ${phase.promptFile ?? 'prompt'} rendered (${Buffer.byteLength(input)} bytes, sha256 ${phase.sha256.slice(0, 12)}), then closed`,
        );
      } else {
        lines.push('    stdin:   /dev/null');
      }
      if (phase.inputs.length > 0) lines.push(`    inputs:  ${phase.inputs.join(', ')}`);
      if (phase.outputs.length > 0) lines.push(`    outputs: ${phase.outputs.join(', ')}`);
      lines.push(`    log:     ${dirs.logs}/${id}.log`);
    }
  });
  return lines;
}

/** Quotes an argument for display the way a POSIX shell would need it. */
export function quote(argument: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(argument)
    ? argument
    : `'${argument.replace(/'/g, "'\\''")}'`;
}
