// The phases' modes (sandbox, permission_mode, approval_mode) against the choices the installed
// CLI's --help lists: an unknown mode is a workflow problem at its place in the file.
import type { AgentBinary } from '../agents/preflight.js';
import { ADAPTERS } from '../agents/registry.js';
import type { AgentRequest } from '../agents/types.js';
import { phaseAgent } from './plan-phase.js';
import type { PlannedPhase, WorkflowPlan } from './plan-types.js';
import { type Problem, throwIfProblems } from './problems.js';

/** The workflow key of each mode setting. */
const KEYS = {
  sandbox: 'sandbox',
  permissionMode: 'permission_mode',
  approvalMode: 'approval_mode',
} as const;

/** Modes a CLI still accepts without listing them in --help, by agent and flag. */
const ALIASES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  claude: { 'permission-mode': ['default'] },
};

/** Throws one UsageError listing every mode the installed CLIs do not offer. */
export function checkModes(plan: WorkflowPlan, binaries: ReadonlyMap<string, AgentBinary>): void {
  const problems = new Map<string, Problem>();
  let index = -1;
  for (const loaded of plan.workflow.phases) {
    index += 1;
    const adapter = ADAPTERS[phaseAgent(loaded, plan.settings)];
    const binary = adapter.binary === null ? undefined : binaries.get(adapter.binary);
    if (binary?.capabilities == null) continue; // no readable --help: the CLI itself will judge
    const phase = plan.phases.at(index) as PlannedPhase; // built only for an agent phase
    for (const [setting, flag] of Object.entries(adapter.modeFlags) as [
      keyof typeof KEYS,
      string,
    ][]) {
      const value = phase.request[setting as keyof AgentRequest] as string | null;
      if (value === null) continue;
      const listed = binary.capabilities.choices.get(flag);
      const offered = [...(listed ?? []), ...(ALIASES[adapter.name]?.[flag] ?? [])];
      if (listed !== undefined && offered.includes(value)) continue;
      if (listed === undefined && binary.capabilities.flags.has(flag)) continue; // no choices listed
      const key = KEYS[setting];
      const problem = plan.workflow.source.at(
        phase.modePaths[key] ?? ['phases', 0],
        listed === undefined
          ? `${key} "${value}": the installed ${adapter.name} (${binary.version}) has no --${flag}`
          : `${key} "${value}" is not a mode of the installed ${adapter.name} (${binary.version}); its --${flag} choices: ${offered.join(', ')}`,
      );
      problems.set(`${problem.line}:${problem.column}:${problem.message}`, problem);
    }
  }
  throwIfProblems([...problems.values()], plan.workflow.file);
}
