// The live view on a terminal: redrawn in place at most ten times a second, never taller than
// the terminal, redrawn whole on a resize, leaving the last frame and the summary on screen.
import { tailLines } from '../../journal/log-tail.js';
import type { GroupEvent } from '../../model/events.js';
import { renderFrame } from '../../report/live-frame.js';
import { applyEvent } from '../../report/live-state.js';
import { emptyLiveState } from '../../report/live-types.js';
import { cliRedactor } from '../redact.js';
import { colorEnabled, palette } from './colors.js';
import type { Renderer, RenderSettings } from './renderer.js';
import { ScreenRegion } from './screen-region.js';

/** The fastest the screen is redrawn. */
const FRAME_MS = 100;
/** How much of a job's log is read for its last line. */
const LAST_LINE_BYTES = 4096;

/** A renderer that redraws `stream` (a terminal) in place. */
export function ttyRenderer(stream: NodeJS.WriteStream, settings: RenderSettings): Renderer {
  const region = new ScreenRegion(stream);
  const colors = palette(colorEnabled(stream));
  const state = emptyLiveState();
  // A finished job's log no longer changes: its last line is read once.
  const finished = new Map<string, string>();
  const lastLine = (logPath: string) =>
    finished.get(logPath) ?? cliRedactor().text(tailLines(logPath, 1, LAST_LINE_BYTES)[0] ?? '');
  const draw = () => {
    if (state.runId === '') return;
    const width = Math.max(20, (stream.columns || 80) - 1);
    const rows = Math.max(1, (stream.rows || 24) - 1);
    region.draw(renderFrame(state, Date.now(), { width, rows }, colors, lastLine));
  };
  const timer = setInterval(draw, FRAME_MS);
  timer.unref();
  stream.on('resize', draw);
  return {
    onEvent: (event: GroupEvent) => {
      applyEvent(state, event, Date.now());
      if (event.type === 'job-end' && event.result.outcome !== 'success') {
        const { logPath } = event.result;
        finished.set(logPath, tailLines(logPath, 1, LAST_LINE_BYTES)[0] ?? '');
      }
    },
    note: (message) => {
      region.clear();
      stream.write(`${message}\n`);
      draw();
    },
    finish: (result) => {
      clearInterval(timer);
      stream.off('resize', draw);
      draw();
      region.done();
      if (result !== null) settings.afterRun(result, (line) => stream.write(`${line}\n`));
    },
  };
}
