// A worker prints two lines per job (started, finished): at hundreds of short jobs a second,
// one write per line is a system call each, and a wake-up of whoever reads them. A `started` or
// `finished` line (of what has happened) may wait up to GATHER_MS to share a write with the
// lines after it; any other line is written at once, with those waiting before it, so the lines
// keep their order and a line that tells of something the worker does (a job stopped, an
// outage) is out before it happens.

/** How long a line printed `soon` may wait for others to share its write. */
const GATHER_MS = 10;

/** A worker's printing: `print` at once, `soon` within GATHER_MS. */
export interface GatheredPrint {
  readonly print: (line: string) => void;
  readonly soon: (line: string) => void;
}

/** Gathers lines printed `soon` for `print` (which writes a line or several at once). */
export function gatheredPrint(print: (text: string) => void): GatheredPrint {
  let lines: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = (line: string | null) => {
    clearTimeout(timer);
    if (line !== null) lines.push(line);
    if (lines.length === 0) return;
    const text = lines.join('\n');
    lines = [];
    print(text);
  };
  process.once('exit', () => flush(null));
  return {
    print: (line) => flush(line),
    soon: (line) => {
      if (lines.length === 0) timer = setTimeout(() => flush(null), GATHER_MS);
      lines.push(line);
    },
  };
}
