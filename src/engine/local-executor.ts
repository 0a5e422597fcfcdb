// The executor of a local run: the run's launcher (the fork server, also the watchdog) spawns
// each attempt, and the escapee sweeper stops what ended jobs left outside their groups.
import type { GroupPlan } from '../options/normalize.js';
import { directLauncher, forkServerLauncher } from '../process/launcher.js';
import { runProcess } from '../process/run-process.js';
import type { SpawnFunction } from '../process/spawn.js';
import { EscapeeSweeper } from './escapees.js';
import type { JobExecutor } from './executor.js';

/** Runs a plan's jobs on this machine. */
export async function localExecutor(
  plan: GroupPlan,
  spawnFunction?: SpawnFunction,
): Promise<JobExecutor> {
  // Also the run's watchdog: the fork server, or a shell process when there is none.
  const launcher =
    spawnFunction !== undefined || !plan.forkServer || plan.jobs.allHaveInput
      ? directLauncher(plan.runId, spawnFunction)
      : await forkServerLauncher(plan.runId, plan.onWarning);
  const sweeper = new EscapeeSweeper(
    Math.round(plan.killAfterSec * 1000),
    plan.onWarning,
    plan.forceSignal,
  );
  return {
    execute: async (_job, request) => ({
      kind: 'ran',
      ...(await runProcess({ ...request, launcher })),
    }),
    jobEnded: (name, marker, started) => sweeper.jobEnded(name, marker, started ?? null),
    close: async () => {
      try {
        await sweeper.drain();
      } finally {
        launcher.close();
      }
    },
  };
}
