// The outputs check: a phase that exits 0 without producing its declared files has failed.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** One declared output as found after the phase ended. */
export interface OutputState {
  readonly path: string;
  /** Size in bytes (files) or number of entries (directories); 0 when missing. */
  readonly size: number;
  readonly ok: boolean;
}

/** Checks that every output exists and is not empty (a file with bytes, a directory with entries). */
export function checkOutputs(outputs: readonly string[], cwd: string): OutputState[] {
  return outputs.map((output) => {
    const size = sizeOf(path.resolve(cwd, output));
    return { path: output, size, ok: size > 0 };
  });
}

function sizeOf(target: string): number {
  try {
    const stat = statSync(target);
    return stat.isDirectory() ? readdirSync(target).length : stat.size;
  } catch {
    return 0;
  }
}
