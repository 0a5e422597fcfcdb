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
  return [...planLines(plan, reused, rerun)];
}

/** formatPlan a line at a time, so that a plan of 100,000 phases is printed without being held. */
export function* planLines(
  plan: WorkflowPlan,
  reused: ReadonlyMap<string, ReusedPhase>,
  rerun: ReadonlyMap<string, string> = new Map(),
): Generator<string> {
  const { workflow, dirs } = plan;
  yield `workflow ${workflow.name} (${workflow.file}) for feature ${plan.feature}`;
  yield `  feature dir ${dirs.feature}, planning ${dirs.planning}, logs and manifest ${dirs.logs}`;
  yield `  at most ${plan.concurrency === 0 ? 'all' : plan.concurrency} phases at once, ${formatSeconds(plan.killAfterSec)} grace between stop signals${plan.failFast ? ', fail-fast (the first phase that does not succeed stops the run)' : ''}`;
  for (let index = 0; index < plan.waves.length; index += 1) {
    yield `wave ${index + 1}: ${plan.waves.at(index)?.join(', ')}`;
    // Each phase built as it is printed, and let go.
    for (const position of plan.waves.positions(index)) {
      const phase = plan.phases.at(position);
      if (phase === undefined) continue;
      const { id } = phase;
      const reuse = reused.get(id);
      const needs = phase.needs.length === 0 ? '' : `, needs ${phase.needs.join(', ')}`;
      yield `  ${id}: ${phase.agent}, timeout ${formatSeconds(phase.timeoutSec)}${phase.idleTimeoutSec > 0 ? `, idle timeout ${formatSeconds(phase.idleTimeoutSec)}` : ''}${needs}${reuse ? `, reused from run ${reuse.runId}` : ''}`;
      const why = rerun.get(id);
      if (why !== undefined) yield `    resume:  runs again: ${why}`;
      const { argv, command, input } = phase.invocation;
      yield `    run:     ${argv === null ? `/bin/sh -c ${quote(command ?? '')}` : argv.map(quote).join(' ')}`;
      yield input !== null
        ? `    stdin:   ${phase.promptFile ?? 'prompt'} rendered (${Buffer.byteLength(input)} bytes, sha256 ${phase.sha256.slice(0, 12)}), then closed`
        : '    stdin:   /dev/null';
      if (phase.inputs.length > 0) yield `    inputs:  ${phase.inputs.join(', ')}`;
      if (phase.outputs.length > 0) yield `    outputs: ${phase.outputs.join(', ')}`;
      yield `    log:     ${dirs.logs}/${id}.log`;
    }
  }
}

/** Quotes an argument for display the way a POSIX shell would need it. */
export function quote(argument: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(argument)
    ? argument
    : `'${argument.replace(/'/g, "'\\''")}'`;
}
