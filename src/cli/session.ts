// What every command that runs jobs shares: the signal handlers, the renderer that shows the
// run (live view, plain lines, JSON or nothing), and the history of runs.
import path from 'node:path';

import { refuseUnsafeFile } from '../files/refuse-unsafe.js';
import { appendHistory, historyPath } from '../journal/history.js';
import type { GroupEvent } from '../model/events.js';
import type { GroupResult } from '../model/result.js';
import { DEFAULTS } from '../options/defaults.js';
import { formatFailureTails } from '../report/failure-tails.js';
import { formatSummary } from '../report/summary.js';
import { stopWhenStdoutCloses } from './closed-stdout.js';
import { failureTail } from './failure-tail.js';
import { colorEnabled, palette } from './live/colors.js';
import {
  jsonRenderer,
  type OutputMode,
  plainRenderer,
  quietRenderer,
  type Renderer,
  type RenderSettings,
} from './live/renderer.js';
import { type LineSink, streamOutput } from './live/stream.js';
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
  refuseUnsafeHistory();
  const renderer = redacted(await chooseRenderer(mode));
  // Once stdout is closed, what the JSON renderer would say there goes to stderr.
  let stdoutClosed = false;
  const note = (message: string) =>
    stdoutClosed && mode.json ? printError(message) : renderer.note(message);
  const signals = stopOnSignals(note, graceSec);
  const stdoutWatch = stopWhenStdoutCloses(() => {
    stdoutClosed = true;
    signals.stopAs('SIGPIPE', 'stdout was closed (EPIPE)');
  });
  let outcome: SessionOutcome | null = null;
  try {
    outcome = await body({
      signal: signals.cancel,
      forceSignal: signals.force,
      onEvent: (event) => {
        if (event.type === 'run-start') recordRun(event.runId, event.logDir, renderer);
        renderer.onEvent(event);
      },
      note,
      onWarning: note,
    });
    return outcome.exitCode;
  } finally {
    signals.dispose();
    stdoutWatch();
    await renderer.finish(outcome?.group ?? null);
    for (const message of outcome?.messages ?? []) renderer.note(message);
    // Shown in every output mode, -q too: the record of this run is incomplete.
    const error = outcome?.group?.error ?? null;
    if (error !== null) printError(`parex: ${error}; the run was stopped`);
  }
}

/** A link or a special file where the history goes is a usage error before anything runs. */
function refuseUnsafeHistory(): void {
  const file = historyPath(path.resolve(DEFAULTS.runsDir));
  refuseUnsafeFile('the history of runs', file, 'and parex makes a new one');
}

async function chooseRenderer(mode: OutputMode): Promise<Renderer> {
  // The run's whole secret set, once it is planned (cliRedactor follows it).
  const redact = <T>(value: T): T => cliRedactor().deep(value);
  if (mode.json) return jsonRenderer((line) => process.stdout.write(`${line}\n`));
  if (mode.quiet) return quietRenderer();
  const settings = renderSettings(mode, redact);
  if (mode.output === 'stream') {
    return withStream(
      plainRenderer(printError, palette(colorEnabled(process.stderr)), settings),
      redact,
    );
  }
  if (process.stderr.isTTY === true && process.env.TERM !== 'dumb') {
    const { ttyRenderer } = await import('./live/tty.js');
    return ttyRenderer(process.stderr, settings);
  }
  return plainRenderer(printError, palette(colorEnabled(process.stderr)), settings);
}

/** The summary (and, in the `errors` mode, the failed jobs' log tails) after a run. */
function renderSettings(mode: OutputMode, redact: <T>(value: T) => T): RenderSettings {
  return {
    progress: mode.output !== 'none',
    afterRun: (result, write) => {
      for (const line of formatSummary(result)) write(redact(line));
      if (mode.output !== 'errors') return;
      const tails = formatFailureTails(
        result,
        (job) => failureTail(job, redact),
        DEFAULTS.errorTailLines,
        DEFAULTS.errorTailJobs,
      );
      for (const line of tails) write(redact(line));
    },
  };
}

/** `renderer`, with every job's lines streamed to stdout as they come. */
function withStream(renderer: Renderer, redact: (text: string) => string): Renderer {
  const stream = streamOutput(stdoutSink(), colorEnabled(process.stdout), redact);
  return {
    onEvent: (event) => {
      stream.onEvent(event);
      renderer.onEvent(event);
    },
    note: (message) => renderer.note(message),
    finish: async (result) => {
      await stream.finish();
      await renderer.finish(result);
    },
  };
}

/** Stdout as a sink that says when it is full, and when it has room again (or is gone). */
function stdoutSink(): LineSink {
  const out = process.stdout;
  return {
    write: (text) => out.writable && out.write(text),
    drained: () =>
      new Promise((resolve) => {
        if (!out.writable || out.writableLength === 0) return resolve();
        const done = () => {
          out.off('drain', done).off('close', done).off('error', done);
          resolve();
        };
        out.once('drain', done).once('close', done).once('error', done);
      }),
  };
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
