// Whether to colour: NO_COLOR first (it wins, as no-color.org asks), then FORCE_COLOR, then
// whether the stream is a terminal.
import pc from 'picocolors';

import type { Palette } from '../../report/live-frame.js';

/** True when output to `stream` should be coloured. */
export function colorEnabled(
  stream: NodeJS.WriteStream,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false')
    return true;
  return stream.isTTY === true;
}

/** The palette for the live view. */
export function palette(enabled: boolean): Palette {
  const colors = pc.createColors(enabled);
  return {
    green: colors.green,
    red: colors.red,
    yellow: colors.yellow,
    cyan: colors.cyan,
    dim: colors.dim,
    bold: colors.bold,
  };
}
