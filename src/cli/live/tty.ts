// The live view on a terminal: redrawn in place at most ten times a second, following resizes,
// leaving the last frame and the summary on a clean screen.
import { createLogUpdate } from 'log-update';

import { tailLines } from '../../journal/log-tail.js';
import type { GroupEvent } from '../../model.js';
import { renderFrame } from '../../report/live-frame.js';
import { applyEvent, EMPTY_LIVE_STATE, type LiveState } from '../../report/live-state.js';
import { formatSummary } from '../../report/summary.js';
import { cliRedactor } from '../redact.js';
import { colorEnabled, palette } from './colors.js';
import type { Renderer } from './renderer.js';

/** The fastest the screen is redrawn. */
const FRAME_MS = 100;
/** How much of a running job's log is read for its last line. */
const LAST_LINE_BYTES = 4096;

/** A renderer that redraws `stream` (a terminal) in place. */
export function ttyRenderer(stream: NodeJS.WriteStream): Renderer {
  const update = createLogUpdate(stream, { showCursor: false });
  const colors = palette(colorEnabled(stream));
  let state: LiveState = EMPTY_LIVE_STATE;
  const lastLine = (logPath: string) =>
    cliRedactor().text(tailLines(logPath, 1, LAST_LINE_BYTES)[0] ?? '');
  const draw = () => {
    if (state.runId === '') return;
    const width = Math.max(20, (stream.columns || 80) - 1);
    update(renderFrame(state, Date.now(), width, colors, lastLine).join('\n'));
  };
  const timer = setInterval(draw, FRAME_MS);
  timer.unref();
  stream.on('resize', draw);
  return {
    onEvent: (event: GroupEvent) => {
      state = applyEvent(state, event, Date.now());
    },
    note: (message) => {
      update.clear();
      stream.write(`${message}\n`);
      draw();
    },
    finish: (result) => {
      clearInterval(timer);
      stream.off('resize', draw);
      draw();
      update.done();
      if (result !== null) for (const line of formatSummary(result)) stream.write(`${line}\n`);
    },
  };
}
