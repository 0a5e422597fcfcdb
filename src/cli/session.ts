// What every command that runs jobs shares: the signal handlers, the renderer that shows the
// run (live view, plain lines, JSON or nothing), and the history of runs.
import path from 'node:path';

import { appendHistory } from '../journal/history.js';
import type { GroupEvent, GroupResult } from '../model.js';
import { DEFAULTS } from '../options/defaults.js';
import { colorEnabled, palette } from './live/colors.js';
import {
  jsonRenderer,
  type OutputMode,
  plainRenderer,
  quietRenderer,
  type Renderer,
} from './live/renderer.js';
import { cliRedactor } from './redact.js';
import { stopOnSignals } from './stop-on-signals.js';

/** The hooks a run gets: cancellation on signals, events for the renderer, notes for the user. */
export interface SessionHooks {
  readonly signal: AbortSignal;
  readonly forceSignal: AbortSignal;
  readonly onEvent: (event: GroupEvent) => void;
  readonly note: (message: string) => void;
  /** Warnings from the engine, shown like notes. */
  readonly onWarning: (message: string) => void;
}

/** How a run ended: the group to summarise (if any), the exit status, and closing messages. */
export interface SessionOutcome {
  readonly group: GroupResult | null;
  readonly exitCode: number;
  readonly messages?: readonly string[];
}

/** Writes a line to stderr. */
export function printError(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Runs `body` with signal handling and a renderer installed, and returns its exit status. */
export async function withSession(
  graceSec: number,
  mode: OutputMode,
  body: (hooks: SessionHooks) => Promise<SessionOutcome>,
): Promise<number> {
  const renderer = redacted(await chooseRenderer(mode));
  const signals = stopOnSignals((message) => renderer.note(message), graceSec);
  let outcome: SessionOutcome | null = null;
  try {
    outcome = await body({
      signal: signals.cancel,
      forceSignal: signals.force,
      onEvent: (event) => {
        if (event.type === 'run-start') recordRun(event.runId, event.logDir, renderer);
        renderer.onEvent(event);
      },
      note: (message) => renderer.note(message),
      onWarning: (message) => renderer.note(message),
    });
    return outcome.exitCode;
  } finally {
    signals.dispose();
    renderer.finish(outcome?.group ?? null);
    for (const message of outcome?.messages ?? []) renderer.note(message);
  }
}

async function chooseRenderer(mode: OutputMode): Promise<Renderer> {
  if (mode.json) return jsonRenderer((line) => process.stdout.write(`${line}\n`));
  if (mode.quiet) return quietRenderer();
  if (process.stderr.isTTY === true && process.env.TERM !== 'dumb') {
    const { ttyRenderer } = await import('./live/tty.js');
    return ttyRenderer(process.stderr);
  }
  return plainRenderer(printError, palette(colorEnabled(process.stderr)));
}

/** The renderer, shown only redacted events, results and notes (the run's secrets, once known). */
function redacted(renderer: Renderer): Renderer {
  return {
    onEvent: (event) => renderer.onEvent(cliRedactor().record(event)),
    note: (message) => renderer.note(cliRedactor().text(message)),
    finish: (result) => renderer.finish(result === null ? null : cliRedactor().record(result)),
  };
}

/** Adds the run to the history that `parex runs` and `parex status` read; never fails the run. */
function recordRun(runId: string, logDir: string, renderer: Renderer): void {
  try {
    appendHistory(path.resolve(DEFAULTS.runsDir), {
      run_id: runId,
      log_dir: logDir,
      started_at: new Date().toISOString(),
      command: cliRedactor().deep(process.argv.slice(2)),
    });
  } catch (error) {
    renderer.note(
      `[parex] warning: could not record the run in ${DEFAULTS.runsDir}/history.jsonl (${String(error)})`,
    );
  }
}
